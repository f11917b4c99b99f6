import type { PushRequest } from '@shoehorn/plugin-gitops-common';
import {
  AGENTS,
  createTestDatabases,
  makePush,
  makeResource,
  startGitOpsBackend,
} from '../__testUtils__/harness';

jest.setTimeout(120_000);

/** Sessions of one cluster and tool are ordered: an old session's late push is refused. */
describe('ordered agent sessions', () => {
  const databases = createTestDatabases();

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const backend = await startGitOpsBackend({ knex });
    return { knex, backend };
  }

  function pushOf(session: string, overrides: Partial<PushRequest>) {
    const push = makePush(overrides);
    push.agent = { ...push.agent, session };
    return push;
  }

  const names = async (backend: { list(q?: string): Promise<any> }) =>
    (await backend.list('?sort=name')).items.map((i: any) => i.name);

  it.each(databases.eachSupportedId())(
    "an old leader's late snapshot and delta are refused with 409 and change nothing, %p",
    async databaseId => {
      const { backend } = await setup(databaseId);
      await backend.push(
        AGENTS.a,
        pushOf('old-leader', { seq: 1, upserts: [makeResource('web')] }),
      );
      // The new leader begins its session with a snapshot of the cluster as it is now.
      let res = await backend.push(
        AGENTS.a,
        pushOf('new-leader', {
          seq: 1,
          upserts: [
            makeResource('web', { revision: 'new' }),
            makeResource('api'),
          ],
        }),
      );
      expect(res.body).toEqual({ applied: 2 });

      // The old leader's snapshot, taken before it lost the Lease, arrives late.
      res = await backend.push(
        AGENTS.a,
        pushOf('old-leader', {
          seq: 2,
          upserts: [makeResource('web', { revision: 'old' })],
        }),
      );
      expect(res.status).toBe(409);
      expect(res.body.error).toEqual({
        name: 'SessionSupersededError',
        message:
          'agent.session: session old-leader of cluster cluster-a (argocd) was superseded by a newer session; start a new session with a snapshot',
      });
      res = await backend.push(
        AGENTS.a,
        pushOf('old-leader', {
          seq: 3,
          type: 'delta',
          deletes: [
            {
              tool: 'argocd',
              kind: 'Application',
              namespace: 'argocd',
              name: 'api',
            },
          ],
        }),
      );
      expect(res.status).toBe(409);

      const list = await backend.list('?sort=name');
      expect(list.items.map(i => [i.name, i.revision])).toEqual([
        ['api', 'abc123'],
        ['web', 'new'],
      ]);
      // The cluster shows the current session and is not failing.
      const [cluster] = (await backend.get('/v1/clusters')).body.items;
      expect(cluster.agents[0].session).toBe('new-leader');
      expect(cluster.lastRefusedPush).toBeNull();

      // The current session carries on; a later restart supersedes it in turn.
      res = await backend.push(
        AGENTS.a,
        pushOf('new-leader', {
          seq: 2,
          type: 'delta',
          upserts: [makeResource('worker')],
        }),
      );
      expect(res.body).toEqual({ applied: 1 });
      res = await backend.push(
        AGENTS.a,
        pushOf('restarted', { seq: 1, upserts: [makeResource('web')] }),
      );
      expect(res.body).toEqual({ applied: 3 });
      res = await backend.push(
        AGENTS.a,
        pushOf('new-leader', { seq: 3, type: 'delta', upserts: [] }),
      );
      expect(res.status).toBe(409);
      expect(await names(backend)).toEqual(['web']);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'each tool and each cluster orders its own sessions; a superseded part leaves staging alone, %p',
    async databaseId => {
      const { backend, knex } = await setup(databaseId);
      const flux = (session: string, overrides: Partial<PushRequest>) => {
        const push = pushOf(session, overrides);
        push.agent = { ...push.agent, tool: 'fluxcd' };
        return push;
      };
      const kustomization = (name: string) =>
        makeResource(name, { tool: 'fluxcd', kind: 'Kustomization' });

      await backend.push(
        AGENTS.a,
        pushOf('argo-1', { seq: 1, upserts: [makeResource('argo-app')] }),
      );
      // A Flux agent in the same cluster, and an agent of another cluster, start sessions.
      let res = await backend.push(
        AGENTS.a,
        flux('flux-1', { seq: 1, upserts: [kustomization('flux-app')] }),
      );
      expect(res.body).toEqual({ applied: 1 });
      res = await backend.push(
        AGENTS.b,
        pushOf('b-1', { seq: 1, upserts: [makeResource('b-app')] }),
      );
      expect(res.body).toEqual({ applied: 1 });
      // Neither superseded the ArgoCD agent of cluster A.
      res = await backend.push(
        AGENTS.a,
        pushOf('argo-1', {
          seq: 2,
          type: 'delta',
          upserts: [makeResource('argo-api')],
        }),
      );
      expect(res.body).toEqual({ applied: 1 });

      // A new ArgoCD session stages a split snapshot; the old one's late part is refused.
      res = await backend.push(
        AGENTS.a,
        pushOf('argo-2', {
          seq: 1,
          part: 1,
          parts: 2,
          upserts: [makeResource('argo-app')],
        }),
      );
      expect(res.body).toEqual({ applied: 0 });
      res = await backend.push(
        AGENTS.a,
        pushOf('argo-1', {
          seq: 3,
          part: 1,
          parts: 2,
          upserts: [makeResource('stale')],
        }),
      );
      expect(res.status).toBe(409);
      expect(
        (await knex('gitops_snapshot_parts').select('session')).map(
          r => r.session,
        ),
      ).toEqual(['argo-2']);
      res = await backend.push(
        AGENTS.a,
        pushOf('argo-2', {
          seq: 1,
          part: 2,
          parts: 2,
          upserts: [makeResource('argo-web')],
        }),
      );
      expect(res.body).toEqual({ applied: 3 });
      expect(await names(backend)).toEqual([
        'argo-app',
        'argo-web',
        'b-app',
        'flux-app',
      ]);
      await backend.stop();
    },
  );
});
