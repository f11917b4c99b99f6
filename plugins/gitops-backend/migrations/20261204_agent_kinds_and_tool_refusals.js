// @ts-check

/*
 * How each agent watches each kind (so objects of a kind it cannot watch are shown as
 * possibly out of date), and refused pushes per cluster and tool, as an ArgoCD and a Flux
 * agent of one cluster fail independently.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gitops_clusters', table => {
    table
      .text('kinds')
      .nullable()
      .comment(
        'JSON: [{kind, apiVersion, state, reason?}]; null from agents that do not report it',
      );
  });
  await knex.schema.alterTable('gitops_push_refusals', table => {
    // Empty when the push could not be read far enough to name its tool (too large, not JSON).
    table.string('tool', 32).notNullable().defaultTo('');
  });
  await knex.schema.alterTable('gitops_push_refusals', table => {
    table.comment(
      'The last refused push of each cluster and tool, until one is applied',
    );
    table.dropPrimary();
    table.primary(['tenant', 'cluster', 'tool']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  // Back to one refusal per cluster: the most recent one stays.
  const rows = await knex('gitops_push_refusals')
    .select('tenant', 'cluster', 'tool')
    .orderBy([
      { column: 'refused_at', order: 'desc' },
      { column: 'tool', order: 'asc' },
    ]);
  const kept = new Set();
  for (const row of rows) {
    const cluster = JSON.stringify([row.tenant, row.cluster]);
    if (kept.has(cluster)) {
      await knex('gitops_push_refusals').where(row).delete();
    } else {
      kept.add(cluster);
    }
  }
  await knex.schema.alterTable('gitops_push_refusals', table => {
    table.comment(
      'The last refused push of each cluster, until one is applied',
    );
    table.dropPrimary();
    table.primary(['tenant', 'cluster']);
  });
  await knex.schema.alterTable('gitops_push_refusals', table => {
    table.dropColumn('tool');
  });
  await knex.schema.alterTable('gitops_clusters', table => {
    table.dropColumn('kinds');
  });
};
