import fs from 'node:fs';
import path from 'node:path';
import { createTestDatabases } from '../__testUtils__/harness';

jest.setTimeout(120_000);

const migrationsDir = path.resolve(__dirname, '../../migrations');
const migrationFiles = fs
  .readdirSync(migrationsDir)
  .filter(f => f.endsWith('.js'))
  .sort();

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
});
