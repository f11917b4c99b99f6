// @ts-check

/*
 * What each resource waits on (its Flux source and dependsOn entries, or ArgoCD's own sync
 * problem), so the portal can follow the chain to a root cause. Null for rows written
 * before, or by agents that do not report it.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gitops_resources', table => {
    table
      .text('readiness')
      .nullable()
      .comment(
        'JSON: { waitsOn: [{role, kind, namespace, name}], syncProblem }',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gitops_resources', table => {
    table.dropColumn('readiness');
  });
};
