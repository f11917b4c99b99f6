import {
  AGENTS,
  createTestDatabases,
  makePush,
} from '../__testUtils__/harness';
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
      db.clusters.seen(AGENTS.a, 'argocd', NOW);
      expect(await db.clusters.flushLastSeen()).toBe(1);
      expect(await db.clusters.list('default')).toEqual([]);

      await applyPush(db, { seq: 1 }, { agent: AGENTS.b });
      await applyPush(db, { seq: 1 }, { agent: AGENTS.a });
      await applyPush(db, { seq: 1 }, { agent: AGENTS.other });
      db.clusters.seen(AGENTS.a, 'argocd', NOW + 5000);
      db.clusters.seen(AGENTS.a, 'argocd', NOW + 4000);
      db.clusters.seen(AGENTS.other, 'argocd', NOW + 3000);

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
        (await replica.clusters.agentsOf('other', 'cluster-a'))[0]?.lastSeenAt,
      ).toBe(NOW + 3000);

      expect(await db.clusters.agentsOf('default', 'cluster-a')).toEqual([
        {
          tenant: 'default',
          name: 'cluster-a',
          agentSubject: 'gitops-agent-a',
          agentVersion: '1.0.0',
          agentSession: 'session-1',
          agentTool: 'argocd',
          capabilities: { sync: true, refresh: true },
          kinds: null,
          lastSeenAt: NOW + 5000,
        },
      ]);
      // Same cluster name, other tenant: kept apart.
      expect(
        (await db.clusters.agentsOf('other', 'cluster-a')).map(
          a => a.agentSubject,
        ),
      ).toEqual(['gitops-agent-other']);
      expect(await db.clusters.agentsOf('default', 'nowhere')).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'an ArgoCD and a Flux agent of one cluster keep their own capabilities and heartbeats, %p',
    async databaseId => {
      const { db } = await openGitOpsDatabase(databases, databaseId);
      const argocd = makePush().agent;
      await applyPush(
        db,
        {
          seq: 1,
          agent: { ...argocd, capabilities: { sync: false, refresh: false } },
        },
        { agent: AGENTS.a },
      );
      await applyPush(
        db,
        {
          seq: 1,
          agent: { ...argocd, tool: 'fluxcd', session: 'flux-session' },
        },
        { agent: AGENTS.aFlux, now: NOW + 1000 },
      );
      // The ArgoCD agent pushes again: the Flux agent's row stays as it was.
      await applyPush(
        db,
        {
          seq: 2,
          agent: { ...argocd, capabilities: { sync: false, refresh: false } },
        },
        { agent: AGENTS.a, now: NOW + 2000 },
      );
      const summary = async () =>
        (await db.clusters.agentsOf('default', 'cluster-a')).map(a => [
          a.agentTool,
          a.agentSubject,
          a.agentSession,
          a.capabilities,
          a.lastSeenAt,
        ]);
      expect(await summary()).toEqual([
        [
          'argocd',
          'gitops-agent-a',
          'session-1',
          { sync: false, refresh: false },
          NOW + 2000,
        ],
        [
          'fluxcd',
          'gitops-agent-a-flux',
          'flux-session',
          { sync: true, refresh: true },
          NOW + 1000,
        ],
      ]);

      // A poll moves only the polling tool's heartbeat, before and after the flush.
      db.clusters.seen(AGENTS.aFlux, 'fluxcd', NOW + 9000);
      expect(
        (await summary()).map(([tool, , , , seen]) => [tool, seen]),
      ).toEqual([
        ['argocd', NOW + 2000],
        ['fluxcd', NOW + 9000],
      ]);
      expect(await db.clusters.flushLastSeen()).toBe(1);
      expect(
        (await summary()).map(([tool, , , , seen]) => [tool, seen]),
      ).toEqual([
        ['argocd', NOW + 2000],
        ['fluxcd', NOW + 9000],
      ]);
      expect(await db.clusters.toolsOf(AGENTS.a)).toEqual(['argocd']);
      expect(await db.clusters.toolsOf(AGENTS.aFlux)).toEqual(['fluxcd']);
      expect(await db.clusters.toolsOf(AGENTS.b)).toEqual([]);
    },
  );
});
