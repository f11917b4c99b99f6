import fs from 'node:fs';
import path from 'node:path';
import { createTestDatabases } from '../__testUtils__/harness';

jest.setTimeout(120_000);

const migrationsDir = path.resolve(__dirname, '../../migrations');
const migrationFiles = fs
  .readdirSync(migrationsDir)
  .filter(f => f.endsWith('.js'))
  .sort();

/**
 * Whether the database refused a write. Checked by settling the promise, not with
 * `rejects.toThrow()`: a native driver's error may come from another realm than jest's.
 */
const refused = (write: PromiseLike<unknown>) =>
  Promise.resolve(write).then(
    () => false,
    () => true,
  );

const TABLES = [
  'gitops_clusters',
  'gitops_resources',
  'gitops_agent_sessions',
  'gitops_snapshot_parts',
  'gitops_status_history',
  'gitops_manual_links',
  'gitops_commands',
  'gitops_deployments',
  'gitops_episodes',
  'gitops_owner_alerts',
  'gitops_session_epochs',
  'gitops_push_refusals',
];

describe('migrations', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'every step goes up and down cleanly, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      for (const _file of migrationFiles) {
        await knex.migrate.up({ directory: migrationsDir });
      }
      for (const table of TABLES) {
        expect([table, await knex.schema.hasTable(table)]).toEqual([
          table,
          true,
        ]);
      }
      await knex('gitops_resources').insert({
        id: 'r1',
        tenant: 'default',
        cluster: 'c',
        tool: 'argocd',
        kind: 'Application',
        namespace: 'argocd',
        name: 'web',
        uid: 'u',
        sync_status: 'Synced',
        health_status: 'Healthy',
        auto_sync: true,
        suspended: false,
        drift_detected: false,
        link_status: 'unlinked',
        link_candidates: '[]',
        search_text: 'web',
        content_hash: 'h',
        observed_at: Date.now(),
      });
      for (const _file of migrationFiles) {
        await knex.migrate.down({ directory: migrationsDir });
      }
      for (const table of TABLES) {
        expect([table, await knex.schema.hasTable(table)]).toEqual([
          table,
          false,
        ]);
      }
      // And up again after a full rollback.
      await knex.migrate.latest({ directory: migrationsDir });
      expect(await knex.schema.hasTable('gitops_commands')).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    'clusters keep one agent per tool; going down keeps the freshest agent of each cluster, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      // Start from no schema at all: an engine may hand back a database an earlier test migrated.
      await knex.migrate.rollback({ directory: migrationsDir }, true);
      const step = '20261202_tool_scoped_clusters.js';
      const before = migrationFiles.slice(0, migrationFiles.indexOf(step));
      for (const _file of before) {
        await knex.migrate.up({ directory: migrationsDir });
      }
      const agent = (tool: string, lastSeenAt: number) => ({
        tenant: 'default',
        name: 'prod',
        agent_subject: `agent-${tool}`,
        agent_version: '1.0.0',
        agent_session: `session-${tool}`,
        agent_tool: tool,
        capabilities: '{"sync":true,"refresh":true}',
        last_seen_at: lastSeenAt,
      });
      await knex('gitops_clusters').insert(agent('argocd', 1000));
      expect(
        await refused(knex('gitops_clusters').insert(agent('fluxcd', 2000))),
      ).toBe(true);

      await knex.migrate.up({ directory: migrationsDir });
      await knex('gitops_clusters').insert(agent('fluxcd', 2000));
      expect(
        await refused(knex('gitops_clusters').insert(agent('fluxcd', 3000))),
      ).toBe(true);
      const tools = async () =>
        (await knex('gitops_clusters').orderBy('agent_tool')).map(r => [
          r.name,
          r.agent_tool,
          Number(r.last_seen_at),
        ]);
      expect(await tools()).toEqual([
        ['prod', 'argocd', 1000],
        ['prod', 'fluxcd', 2000],
      ]);

      await knex.migrate.down({ directory: migrationsDir });
      expect(await tools()).toEqual([['prod', 'fluxcd', 2000]]);
      expect(
        await refused(knex('gitops_clusters').insert(agent('argocd', 4000))),
      ).toBe(true);
    },
  );
  it.each(databases.eachSupportedId())(
    'refused pushes are kept per tool; going down keeps the most recent of each cluster, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.rollback({ directory: migrationsDir }, true);
      const step = '20261204_agent_kinds_and_tool_refusals.js';
      const before = migrationFiles.slice(0, migrationFiles.indexOf(step));
      for (const _file of before) {
        await knex.migrate.up({ directory: migrationsDir });
      }
      await knex('gitops_push_refusals').insert({
        tenant: 'default',
        cluster: 'prod',
        status: 413,
        message: 'too large',
        refused_at: 1000,
      });
      await knex.migrate.up({ directory: migrationsDir });
      const refusal = (tool: string, refusedAt: number) => ({
        tenant: 'default',
        cluster: 'prod',
        tool,
        status: 400,
        message: `bad ${tool}`,
        refused_at: refusedAt,
      });
      await knex('gitops_push_refusals').insert(refusal('argocd', 2000));
      await knex('gitops_push_refusals').insert(refusal('fluxcd', 3000));
      expect(
        await refused(
          knex('gitops_push_refusals').insert(refusal('fluxcd', 4000)),
        ),
      ).toBe(true);
      const rows = async () =>
        (await knex('gitops_push_refusals').orderBy('refused_at')).map(r =>
          Number(r.refused_at),
        );
      // The row from before names no tool.
      expect(
        (await knex('gitops_push_refusals').orderBy('refused_at')).map(
          r => r.tool,
        ),
      ).toEqual(['', 'argocd', 'fluxcd']);

      await knex.migrate.down({ directory: migrationsDir });
      expect(await rows()).toEqual([3000]);
      expect(await knex.schema.hasColumn('gitops_clusters', 'kinds')).toBe(
        false,
      );
    },
  );
});
