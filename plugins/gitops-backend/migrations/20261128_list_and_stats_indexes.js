// @ts-check

/*
 * Indexes measured by the benchmarks (bench/list.ts, bench/stats.ts) at 100k resources:
 * - the fleet list sorted by last sync walks an index in order and stops after one page,
 *   instead of reading every matching row and sorting them;
 * - the stats' status counts read a covering index instead of the table.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // The same expression the list query orders by (nulls sort as the smallest value).
  await knex.raw(
    'create index gitops_resources_last_synced_idx on gitops_resources (tenant, (coalesce(last_synced_at, -1)), id)',
  );
  await knex.schema.alterTable('gitops_resources', table => {
    table.index(
      [
        'tenant',
        'tool',
        'sync_status',
        'health_status',
        'drift_detected',
        'suspended',
      ],
      'gitops_resources_status_counts_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gitops_resources', table => {
    table.dropIndex([], 'gitops_resources_status_counts_idx');
  });
  await knex.raw('drop index gitops_resources_last_synced_idx');
};
