// @ts-check

/*
 * What each owner was last told about a linked resource (Degraded, OutOfSync for long,
 * cluster disconnected, or nothing), so that replicas send each transition once.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_owner_alerts', table => {
    table.string('tenant').notNullable();
    table.string('resource_id').notNullable();
    table.text('entity_ref').notNullable();
    // Kept to word the resolution of a resource that is no longer reported.
    table.string('cluster').notNullable();
    table.text('resource_name').notNullable();
    table.string('condition').nullable();
    table.bigInteger('condition_since').notNullable();
    table.string('notified').nullable();
    table.integer('version').notNullable();
    table.primary(['tenant', 'resource_id']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_owner_alerts');
};
