// @ts-check

/*
 * The last push the backend refused per cluster, so the portal can show a cluster whose
 * agent keeps retrying a push that never lands (command polls alone look healthy).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_push_refusals', table => {
    table.comment(
      'The last refused push of each cluster, until one is applied',
    );
    table.string('tenant', 255).notNullable();
    table.string('cluster', 255).notNullable();
    table.integer('status').notNullable();
    table.text('message').notNullable();
    table.bigInteger('refused_at').notNullable();
    table.primary(['tenant', 'cluster']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_push_refusals');
};
