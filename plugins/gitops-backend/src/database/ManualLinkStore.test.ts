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

const ALL = {
  filter: {},
  sort: { field: 'name' as const, descending: false },
  limit: 100,
};

describe('ManualLinkStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'a manual link wins over the name rule, survives a snapshot, and removing it restores the rule, %p',
    async databaseId => {
      const { db } = await openGitOpsDatabase(databases, databaseId);
      const resolve = resolverFor([component('web'), component('shop')]);
      await applyPush(
        db,
        { seq: 1, upserts: [makeResource('web')] },
        { resolveLink: resolve },
      );
      const [web] = (await db.resources.list('default', ALL)).items;
      expect(web.link).toMatchObject({ status: 'name' });

      const linked = await db.links.set(
        'default',
        web.id,
        {
          entityRef: 'Component:default/Shop',
          linkedBy: 'user:default/alice',
          now: NOW,
        },
        resolve,
      );
      expect(linked?.link).toEqual({
        status: 'manual',
        entityRef: 'component:default/shop',
        candidates: [],
      });
      expect(
        (await db.resources.byEntity('default', 'component:default/shop')).map(
          r => r.id,
        ),
      ).toEqual([web.id]);

      // A later snapshot re-creates nothing and keeps the manual link.
      await applyPush(
        db,
        { seq: 2, upserts: [makeResource('web', { revision: 'def456' })] },
        { resolveLink: resolve },
      );
      expect((await db.resources.get('default', web.id))?.link.status).toBe(
        'manual',
      );

      const unlinked = await db.links.remove('default', web.id, resolve);
      expect(unlinked?.link).toEqual({
        status: 'name',
        entityRef: 'component:default/web',
        candidates: [],
      });
      expect(await db.links.remove('default', 'missing', resolve)).toBe(
        undefined,
      );
      expect(
        await db.links.set(
          'other',
          web.id,
          {
            entityRef: 'component:default/shop',
            linkedBy: 'user:default/alice',
            now: NOW,
          },
          resolve,
        ),
      ).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'relinking rewrites only the links the catalog changed and names their clusters, %p',
    async databaseId => {
      const { db } = await openGitOpsDatabase(databases, databaseId);
      const upserts = Array.from({ length: 1200 }, (_, i) =>
        makeResource(`app-${i}`),
      );
      await applyPush(db, { seq: 1, upserts });
      await applyPush(
        db,
        { seq: 1, upserts: [makeResource('app-7')] },
        { agent: { subject: 'b', tenant: 'default', cluster: 'cluster-b' } },
      );
      const before = await db.resources.list('default', { ...ALL, limit: 1 });
      expect(before.totalCount).toBe(1201);

      // The catalog gains app-7 and app-1100: three resources link, across both clusters.
      const result = await db.links.relinkAll(
        resolverFor([component('app-7'), component('app-1100')]),
      );
      expect(result.changed).toBe(3);
      expect(result.changes.of('default')).toEqual({
        clusters: ['cluster-a', 'cluster-b'],
        entityRefs: ['component:default/app-1100', 'component:default/app-7'],
      });
      const linked = await db.resources.byEntity(
        'default',
        'component:default/app-7',
      );
      expect(linked.map(r => r.cluster)).toEqual(['cluster-a', 'cluster-b']);
      // Only the link columns were written: the rest of the row is as pushed.
      expect(linked[0]).toMatchObject({
        ...makeResource('app-7'),
        lastSyncedAt: '2025-06-01T11:00:00.000Z',
        observedAt: NOW,
      });
      // Nothing else was touched, and a second pass finds nothing to do.
      const again = await db.links.relinkAll(
        resolverFor([component('app-7'), component('app-1100')]),
      );
      expect(again.changed).toBe(0);
      expect(again.changes.tenants()).toEqual([]);
    },
  );
});
