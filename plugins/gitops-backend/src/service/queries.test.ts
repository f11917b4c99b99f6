import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { GitOpsResourceView } from '@shoehorn/plugin-gitops-common';
import {
  AGENTS,
  component,
  createTestDatabases,
  eventually,
  GitOpsTestBackend,
  makePush,
  makeResource,
  startGitOpsBackend,
} from '../__testUtils__/harness';

jest.setTimeout(180_000);

const SYNC = ['Synced', 'OutOfSync', 'Unknown'] as const;
const HEALTH = ['Healthy', 'Degraded', 'Progressing', 'Suspended'] as const;

/** 60 resources in cluster-a (argocd) and 20 in cluster-b, with varied statuses. */
async function seed(backend: GitOpsTestBackend) {
  const a = Array.from({ length: 60 }, (_, i) =>
    makeResource(`app-${String(i).padStart(2, '0')}`, {
      namespace: i % 2 ? 'team-odd' : 'team-even',
      syncStatus: SYNC[i % 3],
      healthStatus: HEALTH[i % 4],
      suspended: HEALTH[i % 4] === 'Suspended',
      drift:
        SYNC[i % 3] === 'OutOfSync'
          ? { detected: true, reason: 'OutOfSync' }
          : { detected: false, reason: null },
      lastSyncedAt:
        i % 5 === 0 ? null : new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
      source: {
        url: `https://git.example.com/org/repo-${i % 7}.git`,
        path: null,
        chart: null,
      },
    }),
  );
  const b = Array.from({ length: 20 }, (_, i) =>
    makeResource(`flux-${i}`, {
      tool: 'fluxcd',
      kind: i % 2 ? 'Kustomization' : 'HelmRelease',
      namespace: 'flux-system',
    }),
  );
  await backend.push(AGENTS.a, makePush({ upserts: a }));
  const fluxPush = makePush({ upserts: b });
  fluxPush.agent.tool = 'fluxcd';
  await backend.push(AGENTS.b, fluxPush);
  await backend.push(
    AGENTS.other,
    makePush({ upserts: [makeResource('other-tenant')] }),
  );
}

async function pageThrough(backend: GitOpsTestBackend, query: string) {
  const seen: GitOpsResourceView[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await backend.list(
      `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    seen.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor && pages < 100);
  return { seen, pages };
}

describe('portal queries', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'filters, sorts and pages, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({
        knex,
        entities: [component('app-07')],
      });
      await seed(backend);

      let list = await backend.list();
      expect(list.totalCount).toBe(80);
      expect(list.items).toHaveLength(50);
      expect(list.items.some(i => i.name === 'other-tenant')).toBe(false);

      list = await backend.list(
        '?syncStatus=OutOfSync&syncStatus=Unknown&cluster=cluster-a',
      );
      expect(list.totalCount).toBe(40);
      expect(list.items.every(i => i.syncStatus !== 'Synced')).toBe(true);

      list = await backend.list('?tool=fluxcd&limit=500');
      expect(list.totalCount).toBe(20);
      expect(new Set(list.items.map(i => i.kind))).toEqual(
        new Set(['Kustomization', 'HelmRelease']),
      );

      list = await backend.list('?namespace=team-odd&healthStatus=Degraded');
      expect(list.items.map(i => i.name)).toEqual(
        Array.from({ length: 60 }, (_, i) => i)
          .filter(i => i % 2 === 1 && i % 4 === 1)
          .map(i => `app-${String(i).padStart(2, '0')}`),
      );

      list = await backend.list('?drift=true&limit=500');
      expect(list.totalCount).toBe(20);
      list = await backend.list('?q=REPO-3');
      expect(list.items.map(i => i.name)).toEqual(
        ['03', '10', '17', '24', '31', '38', '45', '52', '59'].map(
          n => `app-${n}`,
        ),
      );
      list = await backend.list('?q=100%25');
      expect(list.totalCount).toBe(0);
      list = await backend.list('?linked=name');
      expect(list.items.map(i => i.name)).toEqual(['app-07']);
      list = await backend.list('?entityRef=component:default/app-07');
      expect(list.items.map(i => i.name)).toEqual(['app-07']);

      // Keyset paging visits every row exactly once, in order, for each sort.
      for (const sort of [
        'name',
        '-name',
        'syncStatus',
        '-healthStatus',
        'lastSyncedAt',
        '-lastSyncedAt',
        'namespace',
      ]) {
        const { seen, pages } = await pageThrough(
          backend,
          `?limit=7&sort=${sort}`,
        );
        expect(seen).toHaveLength(80);
        expect(new Set(seen.map(i => i.id)).size).toBe(80);
        expect(pages).toBe(12);
        const full = await backend.list(`?limit=500&sort=${sort}`);
        expect(seen.map(i => i.id)).toEqual(full.items.map(i => i.id));
      }
      const byLastSynced = (await backend.list('?limit=500&sort=-lastSyncedAt'))
        .items;
      expect(byLastSynced[0].lastSyncedAt).toBe('2025-06-01T11:00:00.000Z');
      expect(byLastSynced[20].lastSyncedAt).toBe('2025-01-01T00:59:00.000Z');
      expect(byLastSynced[79].lastSyncedAt).toBeNull();

      const filtered = await pageThrough(
        backend,
        '?limit=3&syncStatus=Synced&cluster=cluster-a',
      );
      expect(filtered.seen).toHaveLength(20);

      // Bad query parameters name the parameter.
      let res = await backend.get('/v1/resources?limit=0');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('limit');
      res = await backend.get('/v1/resources?syncStatus=Broken');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('syncStatus');
      res = await backend.get('/v1/resources?sort=color');
      expect(res.status).toBe(400);
      res = await backend.get('/v1/resources?cursor=garbage');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('cursor');
      const cursor = (await backend.list('?limit=5&sort=name')).nextCursor!;
      res = await backend.get(
        `/v1/resources?sort=kind&cursor=${encodeURIComponent(cursor)}`,
      );
      expect(res.status).toBe(400);
      res = await backend.get('/v1/resources?color=red');
      expect(res.status).toBe(400);
      // An empty value is refused naming its parameter, as the OpenAPI says (minLength 1).
      const filters = ['cluster', 'namespace', 'entityRef', 'q'];
      for (const query of [
        ...filters.map(p => `/v1/resources?${p}=`),
        ...filters.map(p => `/v1/facets?${p}=`),
        '/v1/resources?cursor=',
      ]) {
        res = await backend.get(query);
        expect([query, res.status]).toEqual([query, 400]);
        expect(res.body.error.message).toContain(
          query.split('?')[1].slice(0, -1),
        );
      }
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'facets count under the other filters, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({ knex });
      await seed(backend);
      let res = await backend.get('/v1/facets');
      expect(res.status).toBe(200);
      expect(res.body.cluster).toEqual([
        { value: 'cluster-a', count: 60 },
        { value: 'cluster-b', count: 20 },
      ]);
      expect(res.body.tool).toEqual([
        { value: 'argocd', count: 60 },
        { value: 'fluxcd', count: 20 },
      ]);
      expect(res.body.linkStatus).toEqual([{ value: 'unlinked', count: 80 }]);

      // A facet ignores its own filter (so other values stay selectable) but obeys the rest.
      res = await backend.get(
        '/v1/facets?cluster=cluster-b&namespace=team-odd',
      );
      expect(res.body.cluster).toEqual([{ value: 'cluster-a', count: 30 }]);
      expect(res.body.namespace).toEqual([{ value: 'flux-system', count: 20 }]);
      expect(res.body.syncStatus).toEqual([]);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'stats are cached 30 s per tenant and recomputed after a push, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({ knex });
      await seed(backend);
      let res = await backend.get('/v1/stats');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        total: 80,
        synced: 40,
        outOfSync: 20,
        unknownSync: 20,
        failed: 15,
        suspended: 15,
        drifted: 20,
        byTool: { argocd: 60, fluxcd: 20 },
        bySyncStatus: { Synced: 40, OutOfSync: 20, Unknown: 20 },
        byHealthStatus: {
          Healthy: 35,
          Degraded: 15,
          Progressing: 15,
          Suspended: 15,
          Missing: 0,
          Unknown: 0,
        },
      });
      const computedAt = res.body.computedAt;

      // A change behind the API's back is not seen while cached...
      await knex('gitops_resources')
        .where({ tenant: 'default', cluster: 'cluster-b' })
        .delete();
      res = await backend.get('/v1/stats');
      expect(res.body.total).toBe(80);
      expect(res.body.computedAt).toBe(computedAt);

      // ...a push for another tenant does not invalidate this tenant's stats...
      await backend.push(AGENTS.other, makePush({ seq: 2, upserts: [] }));
      res = await backend.get('/v1/stats');
      expect(res.body.total).toBe(80);

      // ...nor does a heartbeat of this tenant, which changes nothing...
      await backend.push(
        AGENTS.a,
        makePush({ seq: 2, type: 'delta', upserts: [] }),
      );
      res = await backend.get('/v1/stats');
      expect(res.body.total).toBe(80);

      // ...a push for this tenant that changes a resource does, with its change notice.
      await backend.push(
        AGENTS.a,
        makePush({
          seq: 3,
          type: 'delta',
          deletes: [
            {
              tool: 'argocd',
              kind: 'Application',
              namespace: 'team-even',
              name: 'app-00',
            },
          ],
        }),
      );
      await eventually(async () =>
        expect((await backend.get('/v1/stats')).body.total).toBe(59),
      );
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'DENY answers 403 on every portal route, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({
        knex,
        permissions: mockServices.permissions.factory({
          result: AuthorizeResult.DENY,
        }),
      });
      await backend.push(
        AGENTS.a,
        makePush({ upserts: [makeResource('web')] }),
      );
      const id = (await knex('gitops_resources').first('id')).id;
      for (const path of [
        '/v1/resources',
        '/v1/facets',
        `/v1/resources/${id}`,
        '/v1/entities/component/default/web/resources',
        '/v1/stats',
        '/v1/clusters',
        `/v1/resources/${id}/commands`,
      ]) {
        const res = await backend.get(path);
        expect([path, res.status]).toEqual([path, 403]);
      }
      expect(
        (
          await backend.post(`/v1/resources/${id}/link`, {
            entityRef: 'component:default/web',
          })
        ).status,
      ).toBe(403);
      expect((await backend.delete(`/v1/resources/${id}/link`)).status).toBe(
        403,
      );
      expect(
        (await backend.post(`/v1/resources/${id}/commands`, { type: 'sync' }))
          .status,
      ).toBe(403);
      expect(await knex('gitops_commands').count({ n: '*' }).first()).toEqual({
        n: expect.anything(),
      });
      expect(
        Number((await knex('gitops_commands').count({ n: '*' }).first())!.n),
      ).toBe(0);
      await backend.stop();
    },
  );
});
