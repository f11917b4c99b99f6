// @ts-check

/*
 * Initial schema of the GitOps backend. Times are epoch milliseconds (bigint) so that
 * SQLite and PostgreSQL compare and sort them the same way.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_clusters', table => {
    table.comment(
      'One row per cluster of a tenant: its agent and last heartbeat',
    );
    table.string('tenant', 255).notNullable();
    table.string('name', 255).notNullable();
    table.string('agent_subject', 255).notNullable();
    table.string('agent_version', 255).notNullable();
    table.string('agent_session', 255).notNullable();
    table.string('agent_tool', 16).notNullable();
    table.text('capabilities').notNullable();
    table.bigInteger('last_seen_at').notNullable();
    table.primary(['tenant', 'name']);
  });

  await knex.schema.createTable('gitops_resources', table => {
    table.comment('The latest reported state of each watched GitOps object');
    table.string('id', 64).primary();
    table.string('tenant', 255).notNullable();
    table.string('cluster', 255).notNullable();
    table.string('tool', 16).notNullable();
    table.string('kind', 32).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('name', 255).notNullable();
    table.text('uid').notNullable();
    table.string('sync_status', 16).notNullable();
    table.string('health_status', 16).notNullable();
    table.text('source_url').nullable();
    table.text('source_path').nullable();
    table.text('source_chart').nullable();
    table.text('revision').nullable();
    table.text('target_revision').nullable();
    table.boolean('auto_sync').notNullable();
    table.boolean('suspended').notNullable();
    table.bigInteger('last_synced_at').nullable();
    table.boolean('drift_detected').notNullable();
    table.text('drift_reason').nullable();
    table.text('entity_annotation').nullable();
    table.text('message').nullable();
    table.string('link_status', 16).notNullable();
    table.string('link_entity_ref', 512).nullable();
    table.text('link_candidates').notNullable();
    table.text('search_text').notNullable();
    table.string('content_hash', 64).notNullable();
    table.bigInteger('observed_at').notNullable();
    table.unique(['tenant', 'cluster', 'tool', 'kind', 'namespace', 'name'], {
      indexName: 'gitops_resources_key_idx',
    });
    table.index(['tenant', 'name', 'id'], 'gitops_resources_name_idx');
    table.index(['tenant', 'sync_status'], 'gitops_resources_sync_idx');
    table.index(['tenant', 'health_status'], 'gitops_resources_health_idx');
    table.index(['tenant', 'link_entity_ref'], 'gitops_resources_entity_idx');
  });

  await knex.schema.createTable('gitops_agent_sessions', table => {
    table.comment(
      'The last applied push sequence number of each agent session',
    );
    table.string('tenant', 255).notNullable();
    table.string('cluster', 255).notNullable();
    table.string('session', 255).notNullable();
    table.bigInteger('last_seq').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.primary(['tenant', 'cluster', 'session']);
    table.index(['updated_at'], 'gitops_agent_sessions_updated_idx');
  });

  await knex.schema.createTable('gitops_snapshot_parts', table => {
    table.comment(
      'Parts of a split snapshot, held until the last part arrives',
    );
    table.string('tenant', 255).notNullable();
    table.string('cluster', 255).notNullable();
    table.string('session', 255).notNullable();
    table.bigInteger('seq').notNullable();
    table.integer('part').notNullable();
    table.integer('parts').notNullable();
    table.string('tool', 16).notNullable();
    table.text('upserts', 'longtext').notNullable();
    table.text('deletes', 'longtext').notNullable();
    table.bigInteger('received_at').notNullable();
    table.primary(['tenant', 'cluster', 'session', 'seq', 'part']);
    table.index(['received_at'], 'gitops_snapshot_parts_received_idx');
  });

  await knex.schema.createTable('gitops_status_history', table => {
    table.comment('Each change of sync status, health status or revision');
    table.bigIncrements('id');
    table.string('tenant', 255).notNullable();
    table.string('resource_id', 64).notNullable();
    table.bigInteger('at').notNullable();
    table.string('sync_status', 16).notNullable();
    table.string('health_status', 16).notNullable();
    table.text('revision').nullable();
    table.index(['resource_id', 'at'], 'gitops_status_history_resource_idx');
    table.index(['at'], 'gitops_status_history_at_idx');
  });

  await knex.schema.createTable('gitops_manual_links', table => {
    table.comment(
      'Links set by hand; keyed by the natural key so they survive re-creation',
    );
    table.string('tenant', 255).notNullable();
    table.string('cluster', 255).notNullable();
    table.string('tool', 16).notNullable();
    table.string('kind', 32).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('name', 255).notNullable();
    table.string('entity_ref', 512).notNullable();
    table.string('linked_by', 512).notNullable();
    table.bigInteger('linked_at').notNullable();
    table.primary(['tenant', 'cluster', 'tool', 'kind', 'namespace', 'name']);
  });

  await knex.schema.createTable('gitops_commands', table => {
    table.comment(
      'The command ledger: sync and refresh requests and how they ended',
    );
    table.string('id', 64).primary();
    table.string('tenant', 255).notNullable();
    table.string('cluster', 255).notNullable();
    table.string('resource_id', 64).notNullable();
    table.string('tool', 16).notNullable();
    table.string('kind', 32).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('name', 255).notNullable();
    table.string('type', 16).notNullable();
    table.boolean('hard').notNullable();
    table.string('status', 16).notNullable();
    table.string('requested_by', 512).notNullable();
    table.bigInteger('requested_at').notNullable();
    table.bigInteger('delivered_at').nullable();
    table.bigInteger('lease_until').nullable();
    table.integer('deliveries').notNullable().defaultTo(0);
    table.bigInteger('finished_at').nullable();
    table.bigInteger('expires_at').notNullable();
    table.text('message').nullable();
    table.index(['tenant', 'cluster', 'status'], 'gitops_commands_queue_idx');
    table.index(
      ['resource_id', 'requested_at'],
      'gitops_commands_resource_idx',
    );
    table.index(['status', 'expires_at'], 'gitops_commands_expiry_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_commands');
  await knex.schema.dropTable('gitops_manual_links');
  await knex.schema.dropTable('gitops_status_history');
  await knex.schema.dropTable('gitops_snapshot_parts');
  await knex.schema.dropTable('gitops_agent_sessions');
  await knex.schema.dropTable('gitops_resources');
  await knex.schema.dropTable('gitops_clusters');
};
