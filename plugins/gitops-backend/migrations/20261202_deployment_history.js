// @ts-check

/*
 * Deployment history (each revision change of a resource) and the episodes the delivery
 * metrics measure (Degraded until Healthy, OutOfSync until not). Both keep the entity the
 * resource was linked to when the row started, so relinking does not rewrite the past.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_deployments', table => {
    table.comment('Each revision change of a resource, from start to outcome');
    table.bigIncrements('id');
    table.string('tenant', 255).notNullable();
    table.string('resource_id', 64).notNullable();
    table.string('cluster', 255).notNullable();
    table.string('kind', 32).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('name', 255).notNullable();
    table.string('entity_ref', 512).nullable();
    table.text('source_url').nullable();
    table.text('from_revision').nullable();
    table.text('to_revision').notNullable();
    table.bigInteger('started_at').notNullable();
    table.bigInteger('ended_at').nullable();
    table.string('outcome', 16).nullable();
    table.index(
      ['tenant', 'entity_ref', 'started_at'],
      'gitops_deployments_entity_idx',
    );
    table.index(
      ['resource_id', 'started_at'],
      'gitops_deployments_resource_idx',
    );
    table.index(['started_at'], 'gitops_deployments_started_idx');
  });

  await knex.schema.createTable('gitops_episodes', table => {
    table.comment('Spans a resource spent Degraded or OutOfSync');
    table.bigIncrements('id');
    table.string('tenant', 255).notNullable();
    table.string('resource_id', 64).notNullable();
    table.string('entity_ref', 512).nullable();
    table.string('kind', 16).notNullable();
    table.bigInteger('started_at').notNullable();
    table.bigInteger('ended_at').nullable();
    table.index(
      ['tenant', 'entity_ref', 'started_at'],
      'gitops_episodes_entity_idx',
    );
    table.index(['resource_id', 'ended_at'], 'gitops_episodes_resource_idx');
    table.index(['ended_at'], 'gitops_episodes_ended_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_episodes');
  await knex.schema.dropTable('gitops_deployments');
};
