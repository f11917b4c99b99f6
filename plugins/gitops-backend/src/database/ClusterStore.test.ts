import { AGENTS, createTestDatabases } from '../__testUtils__/harness';
import { applyPush, NOW, openGitOpsDatabase } from '../__testUtils__/stores';

jest.setTimeout(120_000);

describe('ClusterStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'a push records the agent; a poll only moves its last-seen time, %p',
    async databaseId => {
      const { db } = await openGitOpsDatabase(databases, databaseId);
      // A poll before any push has no cluster to touch.
      await db.clusters.touch(AGENTS.a, NOW);
      expect(await db.clusters.list('default')).toEqual([]);

      await applyPush(db, { seq: 1 }, { agent: AGENTS.b });
      await applyPush(db, { seq: 1 }, { agent: AGENTS.a });
      await applyPush(db, { seq: 1 }, { agent: AGENTS.other });
      await db.clusters.touch(AGENTS.a, NOW + 5000);

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
