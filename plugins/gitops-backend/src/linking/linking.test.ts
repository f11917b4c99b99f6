import {
  AGENTS,
  component,
  createTestDatabases,
  eventually,
  makePush,
  makeResource,
  startGitOpsBackend,
} from '../__testUtils__/harness';
import { CATALOG_RELINK_TASK } from '../service/tasks';

jest.setTimeout(120_000);

/** The harness's gitops settings with more keys. */
const withGitOps = (gitops: object) => ({
  gitops: {
    agents: Object.values(AGENTS),
    commands: { pollInterval: '100ms' },
    ...gitops,
  },
});

describe('entity linking', () => {
  const databases = createTestDatabases();

  const entities = [
    component('checkout'),
    component('payments'),
    component('payments', 'team-b'),
    component('web'),
    component('web', 'default', 'System'),
    component('billing', 'default', 'System'),
    component('ledger', 'finance'),
  ];

  it.each(databases.eachSupportedId())(
    'links by annotation first, then by name, Components first, never guessing, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({
        knex,
        entities,
        config: withGitOps({ linking: { nameMatch: ['default', 'team-b'] } }),
      });
      await backend.push(
        AGENTS.a,
        makePush({
          upserts: [
            // annotation (service id) wins over the name match
            makeResource('web', { entityAnnotation: 'checkout' }),
            // annotation as a full entity ref
            makeResource('ledger-prod', {
              entityAnnotation: 'component:finance/ledger',
            }),
            // name match prefers the Component over the System of the same name
            makeResource('web', { namespace: 'prod' }),
            // name match on another kind when there is no Component
            makeResource('billing'),
            // two Components named payments: ambiguous
            makeResource('payments'),
            // an annotation naming nothing falls back to the name rule
            makeResource('checkout', {
              namespace: 'prod',
              entityAnnotation: 'nothing-here',
            }),
            makeResource('orphan'),
          ],
        }),
      );
      const links = Object.fromEntries(
        (await backend.list('?limit=100')).items.map(i => [
          `${i.namespace}/${i.name}`,
          i.link,
        ]),
      );
      expect(links).toEqual({
        'argocd/web': {
          status: 'annotation',
          entityRef: 'component:default/checkout',
          candidates: [],
        },
        'argocd/ledger-prod': {
          status: 'annotation',
          entityRef: 'component:finance/ledger',
          candidates: [],
        },
        'prod/web': {
          status: 'name',
          entityRef: 'component:default/web',
          candidates: [],
        },
        'argocd/billing': {
          status: 'name',
          entityRef: 'system:default/billing',
          candidates: [],
        },
        'argocd/payments': {
          status: 'ambiguous',
          entityRef: null,
          candidates: [
            'component:default/payments',
            'component:team-b/payments',
          ],
        },
        'prod/checkout': {
          status: 'name',
          entityRef: 'component:default/checkout',
          candidates: [],
        },
        'argocd/orphan': {
          status: 'unlinked',
          entityRef: null,
          candidates: [],
        },
      });

      const forEntity = await backend.get(
        '/v1/entities/component/default/checkout/resources',
      );
      expect(forEntity.status).toBe(200);
      expect(
        forEntity.body.items.map((i: any) => `${i.namespace}/${i.name}`),
      ).toEqual(['argocd/web', 'prod/checkout']);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'manual links override, survive snapshots, and unlinking restores the rules, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({
        knex,
        entities,
        config: withGitOps({ linking: { nameMatch: ['default', 'team-b'] } }),
      });
      await backend.push(
        AGENTS.a,
        makePush({ seq: 1, upserts: [makeResource('payments')] }),
      );
      const id = (await backend.list()).items[0].id;

      let res = await backend.post(`/v1/resources/${id}/link`, {
        entityRef: 'component:team-b/payments',
      });
      expect(res.status).toBe(200);
      expect(res.body.link).toEqual({
        status: 'manual',
        entityRef: 'component:team-b/payments',
        candidates: [],
      });

      // Re-snapshots, even one that drops and re-adds the resource, keep the manual link.
      await backend.push(
        AGENTS.a,
        makePush({ seq: 2, upserts: [makeResource('payments')] }),
      );
      await backend.push(AGENTS.a, makePush({ seq: 3, upserts: [] }));
      await backend.push(
        AGENTS.a,
        makePush({ seq: 4, upserts: [makeResource('payments')] }),
      );
      const relisted = (await backend.list()).items[0];
      expect(relisted.link.status).toBe('manual');
      expect(relisted.link.entityRef).toBe('component:team-b/payments');

      res = await backend.delete(`/v1/resources/${relisted.id}/link`);
      expect(res.status).toBe(200);
      expect(res.body.link.status).toBe('ambiguous');

      res = await backend.post(`/v1/resources/${relisted.id}/link`, {
        entityRef: 'component:default/does-not-exist',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('entityRef');
      res = await backend.post(`/v1/resources/${relisted.id}/link`, {
        entityRef: 'a:b:c/d/e',
      });
      expect(res.status).toBe(400);
      res = await backend.post('/v1/resources/nope/link', {
        entityRef: 'component:default/web',
      });
      expect(res.status).toBe(404);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'an API entity is linked by name and by hand; a kind outside the linkable ones is a 400, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({
        knex,
        entities: [
          component('orders-api', 'default', 'API'),
          component('team-a', 'default', 'Group'),
        ],
      });
      await backend.push(
        AGENTS.a,
        makePush({
          upserts: [makeResource('orders-api'), makeResource('worker')],
        }),
      );
      const byName = Object.fromEntries(
        (await backend.list()).items.map(i => [i.name, i]),
      );
      expect(byName['orders-api'].link).toEqual({
        status: 'name',
        entityRef: 'api:default/orders-api',
        candidates: [],
      });

      let res = await backend.post(`/v1/resources/${byName.worker.id}/link`, {
        entityRef: 'api:default/orders-api',
      });
      expect(res.status).toBe(200);
      expect(res.body.link.entityRef).toBe('api:default/orders-api');

      res = await backend.post(`/v1/resources/${byName.worker.id}/link`, {
        entityRef: 'group:default/team-a',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'entityRef: a group cannot be linked; linkable kinds are Component, System, Resource, API',
      );
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'the scheduled catalog read relinks when the catalog changes, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({
        knex,
        entities: [component('api')],
      });
      await backend.push(
        AGENTS.a,
        makePush({ upserts: [makeResource('api'), makeResource('search')] }),
      );
      const linkOf = async (name: string) =>
        (await backend.list(`?q=${name}`)).items.find(i => i.name === name)!
          .link;
      expect((await linkOf('search')).status).toBe('unlinked');

      backend.catalog.entities = [component('search')];
      backend.signals.length = 0;
      await backend.scheduler.triggerTask(CATALOG_RELINK_TASK);
      expect(await linkOf('search')).toEqual({
        status: 'name',
        entityRef: 'component:default/search',
        candidates: [],
      });
      expect((await linkOf('api')).status).toBe('unlinked');
      // Named in the next change notice, which may wait for the interval to pass.
      await eventually(() =>
        expect(backend.signals).toContainEqual({
          type: 'resources',
          clusters: ['cluster-a'],
          // search joins its entity, api leaves the one that left the catalog.
          entityRefs: ['component:default/api', 'component:default/search'],
        }),
      );
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'the name rule searches only gitops.linking.nameMatch (default: the default namespace), or nothing when false, %p',
    async databaseId => {
      const upserts = [
        // Components named payments in default and team-b; ledger only in finance.
        makeResource('payments'),
        makeResource('ledger'),
        makeResource('by-annotation', { entityAnnotation: 'checkout' }),
      ];
      const linksUnder = async (config?: Record<string, unknown>) => {
        // A fresh database each time: the same push again would be a replay.
        const backend = await startGitOpsBackend({
          knex: await databases.init(databaseId),
          entities,
          config,
        });
        await backend.push(AGENTS.a, makePush({ upserts }));
        const links = Object.fromEntries(
          (await backend.list()).items.map(i => [
            i.name,
            `${i.link.status} ${i.link.entityRef ?? i.link.candidates}`,
          ]),
        );
        await backend.stop();
        return links;
      };

      expect(await linksUnder()).toEqual({
        payments: 'name component:default/payments',
        ledger: 'unlinked ',
        'by-annotation': 'annotation component:default/checkout',
      });
      expect(
        await linksUnder(withGitOps({ linking: { nameMatch: ['finance'] } })),
      ).toEqual({
        payments: 'unlinked ',
        ledger: 'name component:finance/ledger',
        'by-annotation': 'annotation component:default/checkout',
      });
      expect(
        await linksUnder(withGitOps({ linking: { nameMatch: false } })),
      ).toEqual({
        payments: 'unlinked ',
        ledger: 'unlinked ',
        'by-annotation': 'annotation component:default/checkout',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'a resource linked only by name is shown, but Sync and Refresh answer 409 with the reason unless allowOnNameMatch; annotation and manual links run, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const start = (config?: Record<string, unknown>) =>
        startGitOpsBackend({ knex, entities, config });
      let backend = await start();
      await backend.push(
        AGENTS.a,
        makePush({
          upserts: [
            makeResource('web'),
            makeResource('checkout', { entityAnnotation: 'checkout' }),
            makeResource('orphan'),
          ],
        }),
      );
      const ids = Object.fromEntries(
        (await backend.list()).items.map(i => [i.name, i.id]),
      );
      const page = await backend.get(
        '/v1/entities/component/default/web/resources',
      );
      expect(page.body.items.map((i: any) => [i.name, i.link.status])).toEqual([
        ['web', 'name'],
      ]);
      for (const type of ['sync', 'refresh']) {
        const res = await backend.post(`/v1/resources/${ids.web}/commands`, {
          type,
        });
        expect(res.status).toBe(409);
        expect(res.body.error.message).toBe(
          `Linked only by name, which any catalog entity of that name could claim: ${
            type === 'sync' ? 'Sync' : 'Refresh'
          } needs the shoehorn.dev/entity annotation or a manual link.`,
        );
      }
      let res = await backend.post(`/v1/resources/${ids.checkout}/commands`, {
        type: 'sync',
      });
      expect(res.status).toBe(201);

      // A manual link to the same entity makes it the owners' choice: commands run.
      res = await backend.post(`/v1/resources/${ids.orphan}/link`, {
        entityRef: 'component:default/web',
      });
      expect(res.status).toBe(200);
      res = await backend.post(`/v1/resources/${ids.orphan}/commands`, {
        type: 'sync',
      });
      expect(res.status).toBe(201);
      await backend.stop();

      backend = await start(
        withGitOps({
          commands: { pollInterval: '100ms', allowOnNameMatch: true },
        }),
      );
      res = await backend.post(`/v1/resources/${ids.web}/commands`, {
        type: 'sync',
      });
      expect(res.status).toBe(201);
      await backend.stop();
    },
  );
});
