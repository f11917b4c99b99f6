// @ts-check

/*
 * One heartbeat row per cluster and tool: an ArgoCD and a Flux agent may watch the same
 * cluster, each with its own version, session and capabilities.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gitops_clusters', table => {
    table.comment(
      'One row per cluster and tool of a tenant: that agent and its last heartbeat',
    );
    table.dropPrimary();
    table.primary(['tenant', 'name', 'agent_tool']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  // Back to one agent per cluster: the most recently seen one stays.
  const rows = await knex('gitops_clusters')
    .select('tenant', 'name', 'agent_tool', 'last_seen_at')
    .orderBy([
      { column: 'last_seen_at', order: 'desc' },
      { column: 'agent_tool', order: 'asc' },
    ]);
  const kept = new Set();
  for (const row of rows) {
    const cluster = JSON.stringify([row.tenant, row.name]);
    if (kept.has(cluster)) {
      await knex('gitops_clusters')
        .where({
          tenant: row.tenant,
          name: row.name,
          agent_tool: row.agent_tool,
        })
        .delete();
    } else {
      kept.add(cluster);
    }
  }
  await knex.schema.alterTable('gitops_clusters', table => {
    table.comment(
      'One row per cluster of a tenant: its agent and last heartbeat',
    );
    table.dropPrimary();
    table.primary(['tenant', 'name']);
  });
};
