import { AGENTS, createTestDatabases } from '../__testUtils__/harness';
import { GitOpsDatabase } from './GitOpsDatabase';
import { applyPush, NOW, openGitOpsDatabase } from '../__testUtils__/stores';

jest.setTimeout(120_000);

describe('ClusterStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'a push records the agent; a heartbeat moves its last-seen time, written on flush, %p',
    async databaseId => {
      const { db, knex } = await openGitOpsDatabase(databases, databaseId);
      // A poll before any push has no cluster to touch.
      db.clusters.seen(AGENTS.a, NOW);
      expect(await db.clusters.flushLastSeen()).toBe(1);
      expect(await db.clusters.list('default')).toEqual([]);

      await applyPush(db, { seq: 1 }, { agent: AGENTS.b });
      await applyPush(db, { seq: 1 }, { agent: AGENTS.a });
      await applyPush(db, { seq: 1 }, { agent: AGENTS.other });
      db.clusters.seen(AGENTS.a, NOW + 5000);
      db.clusters.seen(AGENTS.a, NOW + 4000);
      db.clusters.seen(AGENTS.other, NOW + 3000);

      // Another replica's store reads only what was written...
      const replica = new GitOpsDatabase(knex);
      const seenBy = async (store: GitOpsDatabase) =>
        (await store.clusters.list('default')).map(c => [c.name, c.lastSeenAt]);
      expect(await seenBy(replica)).toEqual([
        ['cluster-a', NOW],
        ['cluster-b', NOW],
      ]);
      // ...this one sees its own heartbeats at once, and writes them all in one flush.
      expect(await seenBy(db)).toEqual([
        ['cluster-a', NOW + 5000],
        ['cluster-b', NOW],
      ]);
      expect(await db.clusters.flushLastSeen()).toBe(2);
      expect(await db.clusters.flushLastSeen()).toBe(0);
      expect(await seenBy(replica)).toEqual([
        ['cluster-a', NOW + 5000],
        ['cluster-b', NOW],
      ]);
      expect(
        (await replica.clusters.get('other', 'cluster-a'))?.lastSeenAt,
      ).toBe(NOW + 3000);

      const clusters = await db.clusters.list('default');
      expect(clusters.map(c => [c.name, c.lastSeenAt])).toEqual([
        ['cluster-a', NOW + 5000],
        ['cluster-b', NOW],
      ]);
      expect(await db.clusters.get('default', 'cluster-a')).toEqual({
        tenant: 'default',
        name: 'cluster-a',
        agentSubject: 'gitops-agent-a',
        agentVersion: '1.0.0',
        agentSession: 'session-1',
        agentTool: 'argocd',
        capabilities: { sync: true, refresh: true },
        lastSeenAt: NOW + 5000,
      });
      // Same cluster name, other tenant: kept apart.
      expect((await db.clusters.get('other', 'cluster-a'))?.agentSubject).toBe(
        'gitops-agent-other',
      );
      expect(await db.clusters.get('default', 'nowhere')).toBeUndefined();
    },
  );
});
