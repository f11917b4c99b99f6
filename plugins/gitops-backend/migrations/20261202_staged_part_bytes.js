// @ts-check

/*
 * The size of each staged snapshot part, so the bytes a cluster holds in staging can be
 * bounded (gitops.push.maxStagedBytes) with one sum, without reading the parts. A cluster's
 * staging is dropped per tool when a new snapshot of that tool starts.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gitops_snapshot_parts', table => {
    table.bigInteger('bytes').notNullable().defaultTo(0);
    table.index(
      ['tenant', 'cluster', 'tool'],
      'gitops_snapshot_parts_cluster_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gitops_snapshot_parts', table => {
    table.dropIndex([], 'gitops_snapshot_parts_cluster_idx');
    table.dropColumn('bytes');
  });
};
