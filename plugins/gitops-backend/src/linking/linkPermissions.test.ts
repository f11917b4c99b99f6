import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  AGENTS,
  createTestDatabases,
  makePush,
  makeResource,
  startGitOpsBackend,
  userHeader,
} from '../__testUtils__/harness';
import {
  catalogServes,
  realCatalogWithOwnersOnly,
} from '../__testUtils__/realCatalog';

jest.setTimeout(240_000);

const ALICE = userHeader('user:default/alice');
const BOB = userHeader('user:default/bob');

function ownedComponent(name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

/** Every audit event the plugin emits, with how it ended. */
function recordingAuditor() {
  const events: Array<{ eventId: string; meta: any; outcome?: string }> = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async (options: any) => {
      const event = {
        eventId: options.eventId,
        meta: { ...options.meta },
        outcome: undefined as string | undefined,
      };
      events.push(event);
      return {
        success: async (success?: { meta?: object }) => {
          event.outcome = 'success';
          Object.assign(event.meta, success?.meta);
        },
        fail: async () => {
          event.outcome = 'fail';
        },
      };
    },
  });
  return { events, factory: auditor.factory };
}

describe('linking under an owners-only policy (real catalog, isEntityOwner)', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    "a user cannot move another team's resource onto their component and then Sync it; the owner still can; every link change is audited, %p",
    async databaseId => {
      const audit = recordingAuditor();
      const real = realCatalogWithOwnersOnly({
        catalogKnex: await databases.init(databaseId),
        entities: [
          ownedComponent('checkout', 'user:default/alice'),
          ownedComponent('payments', 'user:default/bob'),
        ],
        ownersOnly: ['gitops.resource.link', 'gitops.command.create'],
      });
      const backend = await startGitOpsBackend({
        knex: await databases.init(databaseId),
        ...real,
        features: [...real.features, audit.factory] as any[],
      });
      await catalogServes(
        backend,
        ['component:default/checkout', 'component:default/payments'],
        ALICE,
      );
      await backend.push(
        AGENTS.a,
        makePush({
          upserts: [
            makeResource('payments-prod', {
              entityAnnotation: 'component:default/payments',
            }),
            makeResource('stray'),
          ],
        }),
      );
      const ids = Object.fromEntries(
        (await backend.list()).items.map(i => [i.name, i.id]),
      );
      const onPage = async (entity: string) =>
        (
          await backend.get(
            `/v1/entities/component/default/${entity}/resources`,
          )
        ).body.items.map((i: any) => i.name);
      expect(await onPage('payments')).toEqual(['payments-prod']);

      // Alice owns checkout, not payments: the resource's current entity refuses the move.
      let res = await backend.post(
        `/v1/resources/${ids['payments-prod']}/link`,
        { entityRef: 'component:default/checkout' },
        ALICE,
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'not allowed: gitops.resource.link on component:default/payments',
      );
      expect(await onPage('payments')).toEqual(['payments-prod']);
      expect(await onPage('checkout')).toEqual([]);
      res = await backend.post(
        `/v1/resources/${ids['payments-prod']}/commands`,
        { type: 'sync' },
        ALICE,
      );
      expect(res.status).toBe(403);

      // The real owner still syncs it.
      res = await backend.post(
        `/v1/resources/${ids['payments-prod']}/commands`,
        { type: 'sync' },
        BOB,
      );
      expect(res.status).toBe(201);

      // An unlinked resource: only the new entity is judged.
      res = await backend.post(
        `/v1/resources/${ids.stray}/link`,
        { entityRef: 'component:default/payments' },
        ALICE,
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'not allowed: gitops.resource.link on component:default/payments',
      );
      res = await backend.post(
        `/v1/resources/${ids.stray}/link`,
        { entityRef: 'component:default/checkout' },
        ALICE,
      );
      expect(res.status).toBe(200);
      expect(res.body.link).toEqual({
        status: 'manual',
        entityRef: 'component:default/checkout',
        candidates: [],
      });
      res = await backend.post(
        `/v1/resources/${ids.stray}/commands`,
        { type: 'sync' },
        ALICE,
      );
      expect(res.status).toBe(201);

      // Bob cannot take it away from Alice's component, nor unlink it.
      res = await backend.post(
        `/v1/resources/${ids.stray}/link`,
        { entityRef: 'component:default/payments' },
        BOB,
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'not allowed: gitops.resource.link on component:default/checkout',
      );
      res = await backend.delete(`/v1/resources/${ids.stray}/link`, BOB);
      expect(res.status).toBe(403);
      expect(await onPage('checkout')).toEqual(['stray']);

      res = await backend.delete(`/v1/resources/${ids.stray}/link`, ALICE);
      expect(res.status).toBe(200);
      expect(res.body.link.status).toBe('unlinked');

      expect(
        audit.events
          .filter(e => e.eventId === 'resource-link')
          .map(e => ({
            action: e.meta.action,
            outcome: e.outcome,
            from: e.meta.from,
            to: e.meta.to,
          })),
      ).toEqual([
        { action: 'link', outcome: 'fail', from: undefined, to: undefined },
        { action: 'link', outcome: 'fail', from: undefined, to: undefined },
        {
          action: 'link',
          outcome: 'success',
          from: null,
          to: 'component:default/checkout',
        },
        { action: 'link', outcome: 'fail', from: undefined, to: undefined },
        { action: 'unlink', outcome: 'fail', from: undefined, to: undefined },
        {
          action: 'unlink',
          outcome: 'success',
          from: 'component:default/checkout',
          to: null,
        },
      ]);
      await backend.stop();
    },
  );
});
