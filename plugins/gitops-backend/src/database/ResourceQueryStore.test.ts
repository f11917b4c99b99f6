import {
  component,
  createTestDatabases,
  makeResource,
} from '../__testUtils__/harness';
import {
  applyPush,
  NOW,
  openGitOpsDatabase,
  resolverFor,
} from '../__testUtils__/stores';

jest.setTimeout(120_000);

describe('ResourceQueryStore', () => {
  const databases = createTestDatabases();

  async function seeded(databaseId: Parameters<typeof openGitOpsDatabase>[1]) {
    const { db } = await openGitOpsDatabase(databases, databaseId);
    await applyPush(
      db,
      {
        seq: 1,
        upserts: [
          makeResource('api'),
          makeResource('web', { syncStatus: 'OutOfSync' }),
          makeResource('db', {
            healthStatus: 'Degraded',
            drift: { detected: true, reason: 'manual edit' },
          }),
          makeResource('cache', { suspended: true }),
        ],
      },
      { resolveLink: resolverFor([component('web')]) },
    );
    return db;
  }

  it.each(databases.eachSupportedId())(
    'pages through a sorted, filtered list with a total and a cursor, %p',
    async databaseId => {
      const db = await seeded(databaseId);
      const sort = { field: 'name' as const, descending: false };
      const first = await db.resources.list('default', {
        filter: {},
        sort,
        limit: 3,
      });
      expect(first.items.map(r => r.name)).toEqual(['api', 'cache', 'db']);
      expect(first.totalCount).toBe(4);
      const second = await db.resources.list('default', {
        filter: {},
        sort,
        limit: 3,
        cursor: first.nextCursor!,
      });
      expect(second.items.map(r => r.name)).toEqual(['web']);
      expect(second.nextCursor).toBeNull();

      const degraded = await db.resources.list('default', {
        filter: { healthStatus: ['Degraded'] },
        sort: { field: 'name', descending: true },
        limit: 10,
      });
      expect(degraded.items.map(r => r.name)).toEqual(['db']);
      expect(
        (await db.resources.list('other', { filter: {}, sort, limit: 10 }))
          .totalCount,
      ).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'facets count each value under the other filters, %p',
    async databaseId => {
      const db = await seeded(databaseId);
      const facets = await db.resources.facets('default', {
        syncStatus: ['Synced'],
      });
      // The sync facet ignores its own filter; the others count the Synced three.
      expect(facets.syncStatus).toEqual([
        { value: 'Synced', count: 3 },
        { value: 'OutOfSync', count: 1 },
      ]);
      expect(facets.healthStatus).toEqual([
        { value: 'Healthy', count: 2 },
        { value: 'Degraded', count: 1 },
      ]);
      expect(facets.linkStatus).toEqual([{ value: 'unlinked', count: 3 }]);
      expect(facets.cluster).toEqual([{ value: 'cluster-a', count: 3 }]);
    },
  );

  it.each(databases.eachSupportedId())(
    'finds resources by entity, counts statuses and prunes old history, %p',
    async databaseId => {
      const db = await seeded(databaseId);
      const [web] = await db.resources.byEntity(
        'default',
        'Component:default/WEB',
      );
      expect(web.name).toBe('web');
      expect(await db.resources.get('default', web.id)).toEqual(web);
      expect(await db.resources.get('other', web.id)).toBeUndefined();

      const counts = await db.resources.statusCounts('default');
      expect(counts.reduce((n, c) => n + c.count, 0)).toBe(4);
      expect(counts).toContainEqual({
        tool: 'argocd',
        syncStatus: 'Synced',
        healthStatus: 'Degraded',
        driftDetected: true,
        suspended: false,
        count: 1,
      });

      await applyPush(
        db,
        { seq: 2, type: 'delta', upserts: [makeResource('web')] },
        { now: NOW + 60_000 },
      );
      expect(
        (await db.resources.history('default', web.id, 10)).map(
          h => h.syncStatus,
        ),
      ).toEqual(['Synced', 'OutOfSync']);
      await db.resources.pruneHistory(NOW + 1);
      expect(
        (await db.resources.history('default', web.id, 10)).map(h => h.at),
      ).toEqual([new Date(NOW + 60_000).toISOString()]);
    },
  );
});
