// @ts-check

/*
 * Ordered sessions: each cluster and tool numbers its agent sessions in the order they
 * begin (their first push), so pushes of a superseded session (an old leader's late
 * snapshot or delta) are refused instead of overwriting the newer session's state.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_session_epochs', table => {
    table.comment(
      'The newest agent session of each cluster and tool, and its epoch',
    );
    table.string('tenant', 255).notNullable();
    table.string('cluster', 255).notNullable();
    table.string('tool', 16).notNullable();
    table.bigInteger('epoch').notNullable();
    table.string('session', 255).notNullable();
    table.bigInteger('started_at').notNullable();
    table.primary(['tenant', 'cluster', 'tool']);
  });
  await knex.schema.alterTable('gitops_agent_sessions', table => {
    // Null for a session seen before this migration: numbered at its next push.
    table.bigInteger('epoch').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gitops_agent_sessions', table => {
    table.dropColumn('epoch');
  });
  await knex.schema.dropTable('gitops_session_epochs');
};
