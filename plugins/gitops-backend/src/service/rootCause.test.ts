import type {
  GitOpsResource,
  GitOpsResourceView,
  WaitRef,
} from '@shoehorn/plugin-gitops-common';
import {
  AGENTS,
  component,
  createTestDatabases,
  GitOpsTestBackend,
  makePush,
  makeResource,
  startGitOpsBackend,
} from '../__testUtils__/harness';

jest.setTimeout(180_000);

function flux(
  kind: GitOpsResource['kind'],
  name: string,
  waitsOn: Array<[WaitRef['role'], string, string]>,
  fields: Partial<GitOpsResource> = {},
): GitOpsResource {
  return makeResource(name, {
    tool: 'fluxcd',
    kind,
    namespace: 'flux-system',
    readiness: {
      waitsOn: waitsOn.map(([role, refKind, refName]) => ({
        role,
        kind: refKind,
        namespace: 'flux-system',
        name: refName,
      })),
      syncProblem: null,
    },
    ...fields,
  });
}

const failingRepo = flux('GitRepository', 'fleet-infra', [], {
  syncStatus: 'OutOfSync',
  healthStatus: 'Degraded',
  message: 'authentication failed',
});
const infra = flux(
  'Kustomization',
  'infra',
  [['source', 'GitRepository', 'fleet-infra']],
  { healthStatus: 'Progressing' },
);
const web = flux('Kustomization', 'web', [
  ['source', 'GitRepository', 'apps'],
  ['dependsOn', 'Kustomization', 'infra'],
]);
const appsRepo = flux('GitRepository', 'apps', []);

async function pushFlux(
  backend: GitOpsTestBackend,
  seq: number,
  type: 'snapshot' | 'delta',
  upserts: GitOpsResource[],
) {
  const push = makePush({ seq, type, upserts });
  push.agent.tool = 'fluxcd';
  const res = await backend.push(AGENTS.b, push);
  expect([res.status, res.body]).toEqual([200, expect.anything()]);
}

function byName(items: GitOpsResourceView[], name: string) {
  return items.find(i => i.name === name);
}

describe('root cause of a resource', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'follows dependsOn and sources to the failing GitRepository on every read route, and clears when it recovers, %p',
    async databaseId => {
      const backend = await startGitOpsBackend({
        knex: await databases.init(databaseId),
        entities: [component('web')],
      });
      await pushFlux(backend, 1, 'snapshot', [
        web,
        infra,
        failingRepo,
        appsRepo,
      ]);
      // The same names in another cluster do not take part in cluster-b's chain.
      const other = makePush({
        upserts: [makeResource('fleet-infra', { healthStatus: 'Healthy' })],
      });
      expect((await backend.push(AGENTS.a, other)).status).toBe(200);

      const expected = {
        reason: 'sourceNotReady',
        kind: 'GitRepository',
        namespace: 'flux-system',
        name: 'fleet-infra',
        message: 'authentication failed',
      };
      const list = await backend.list('?tool=fluxcd');
      expect(byName(list.items, 'web')?.rootCause).toEqual(expected);
      expect(byName(list.items, 'infra')?.rootCause).toEqual(expected);
      expect(byName(list.items, 'apps')?.rootCause).toBeNull();

      const entity = await backend.get(
        '/v1/entities/component/default/web/resources',
      );
      expect(entity.status).toBe(200);
      expect(entity.body.items.map((i: any) => i.rootCause)).toEqual([
        expected,
      ]);
      const id = byName(list.items, 'web')!.id;
      const detail = await backend.get(`/v1/resources/${id}`);
      expect(detail.body.rootCause).toEqual(expected);

      // The source fetches again: nothing blocks web any more.
      await pushFlux(backend, 2, 'delta', [
        { ...failingRepo, syncStatus: 'Synced', healthStatus: 'Healthy' },
        { ...infra, healthStatus: 'Healthy' },
      ]);
      const after = await backend.get(`/v1/resources/${id}`);
      expect(after.body.rootCause).toBeNull();

      // Suspending the dependency names it as the blocker.
      await pushFlux(backend, 3, 'delta', [
        { ...infra, suspended: true, healthStatus: 'Suspended' },
      ]);
      const suspended = await backend.get(`/v1/resources/${id}`);
      expect(suspended.body.rootCause).toEqual({
        reason: 'suspended',
        kind: 'Kustomization',
        namespace: 'flux-system',
        name: 'infra',
        message: null,
      });
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'an ArgoCD sync window is evaluated at the time of each read, not of the push, %p',
    async databaseId => {
      // The test clock reads 2025-06-01T12:00:00Z: the 11:30 deny window is open.
      const backend = await startGitOpsBackend({
        knex: await databases.init(databaseId),
        entities: [component('checkout')],
      });
      const checkout = makeResource('checkout', {
        syncStatus: 'OutOfSync',
        readiness: {
          waitsOn: [],
          syncProblem: null,
          syncWindows: [
            {
              kind: 'deny',
              schedule: '30 11 * * *',
              duration: '1h',
              timeZone: 'UTC',
              manualSync: false,
            },
          ],
        },
      });
      const push = await backend.push(
        AGENTS.a,
        makePush({ upserts: [checkout] }),
      );
      expect(push.status).toBe(200);

      const during = await backend.list('?tool=argocd');
      expect(byName(during.items, 'checkout')?.rootCause).toEqual({
        reason: 'syncWindow',
        kind: 'Application',
        namespace: 'argocd',
        name: 'checkout',
        message: 'sync window deny `30 11 * * *` for 1h (until 12:30 UTC)',
      });
      const id = byName(during.items, 'checkout')!.id;
      expect(
        (await backend.get(`/v1/resources/${id}`)).body.readiness.syncWindows,
      ).toEqual(checkout.readiness!.syncWindows);

      backend.clock.advance(60 * 60 * 1000);
      const entity = await backend.get(
        '/v1/entities/component/default/checkout/resources',
      );
      expect(entity.body.items.map((i: any) => i.rootCause)).toEqual([null]);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a sync window the wire schema does not know with a 400 naming the field, %p',
    async databaseId => {
      const backend = await startGitOpsBackend({
        knex: await databases.init(databaseId),
      });
      const res = await backend.push(
        AGENTS.a,
        makePush({
          upserts: [
            makeResource('checkout', {
              readiness: {
                waitsOn: [],
                syncProblem: null,
                syncWindows: [
                  {
                    kind: 'block',
                    schedule: '30 11 * * *',
                    duration: '1h',
                    timeZone: 'UTC',
                    manualSync: false,
                  } as any,
                ],
              },
            }),
          ],
        }),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /upserts.0.readiness.syncWindows.0.kind/,
      );
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'accepts records of older agents without readiness, with no root cause, %p',
    async databaseId => {
      const backend = await startGitOpsBackend({
        knex: await databases.init(databaseId),
      });
      const { readiness: _readiness, ...older } = web;
      await pushFlux(backend, 1, 'snapshot', [older, failingRepo]);
      const list = await backend.list('?tool=fluxcd');
      expect(byName(list.items, 'web')).toMatchObject({ rootCause: null });
      expect(byName(list.items, 'web')).not.toHaveProperty('readiness');
      await backend.stop();
    },
  );
});
