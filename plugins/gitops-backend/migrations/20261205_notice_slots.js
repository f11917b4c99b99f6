// @ts-check

/*
 * Change notices across replicas: each tenant's last notice time, so replicas together send
 * at most one notice per tenant per interval (each browser receives every replica's notices).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_notice_slots', table => {
    table.comment('When a change notice last went out for each tenant');
    table.string('tenant', 255).primary();
    table.bigInteger('sent_at').notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_notice_slots');
};
