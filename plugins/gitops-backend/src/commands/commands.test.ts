import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  AGENTS,
  agentHeader,
  component,
  createTestDatabases,
  GitOpsTestBackend,
  makePush,
  makeResource,
  ManualClock,
  startGitOpsBackend,
} from '../__testUtils__/harness';

jest.setTimeout(180_000);

function poll(
  backend: GitOpsTestBackend,
  agent = AGENTS.a,
  wait = 0,
  tool?: string,
) {
  const named = tool ? `&tool=${tool}` : '';
  return request(backend.server)
    .get(`/api/gitops/agent/v1/commands?wait=${wait}${named}`)
    .set('Authorization', agentHeader(agent.subject));
}

function result(
  backend: GitOpsTestBackend,
  id: string,
  body: object,
  agent = AGENTS.a,
) {
  return request(backend.server)
    .post(`/api/gitops/agent/v1/commands/${id}/result`)
    .set('Authorization', agentHeader(agent.subject))
    .send(body);
}

/** Owners may sync: create is allowed only on component:default/web; unlinked never. */
const ownerPolicy = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => ({
    authorize: async (requests: any[]) =>
      requests.map(r => ({
        result:
          r.permission.name !== 'gitops.command.create' ||
          r.resourceRef === 'component:default/web'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
    authorizeConditional: async (requests: any[]) =>
      requests.map(() => ({ result: AuthorizeResult.DENY })),
  }),
}) as any;

describe('command ledger', () => {
  const databases = createTestDatabases();

  async function setup(
    databaseId: Parameters<typeof databases.init>[0],
    options: { readOnly?: boolean; permissions?: any; features?: any[] } = {},
  ) {
    const knex = await databases.init(databaseId);
    const backend = await startGitOpsBackend({
      knex,
      entities: [component('web'), component('api')],
      permissions: options.permissions,
      features: options.features,
    });
    const push = makePush({
      upserts: [
        // Linked by annotation: a name match alone does not allow commands.
        makeResource('web', { entityAnnotation: 'web' }),
        makeResource('api', { entityAnnotation: 'api' }),
        makeResource('unlinked-thing'),
      ],
    });
    if (options.readOnly) {
      push.agent.capabilities = { sync: false, refresh: false };
    }
    await backend.push(AGENTS.a, push);
    const ids = Object.fromEntries(
      (await backend.list()).items.map(i => [i.name, i.id]),
    );
    return { knex, backend, ids };
  }

  const commandCount = async (knex: any) =>
    Number((await knex('gitops_commands').count({ n: '*' }).first()).n);

  it.each(databases.eachSupportedId())(
    'checks the permission on the linked entity; DENY queues nothing; every request is audited, %p',
    async databaseId => {
      const events: Array<{ options: any; outcome?: string }> = [];
      const auditor = mockServices.auditor.mock({
        createEvent: async (options: any) => {
          const event: { options: any; outcome?: string } = { options };
          events.push(event);
          return {
            success: async () => {
              event.outcome = 'success';
            },
            fail: async () => {
              event.outcome = 'fail';
            },
          };
        },
      });
      const { knex, backend, ids } = await setup(databaseId, {
        permissions: ownerPolicy,
        features: [auditor.factory],
      });
      let res = await backend.post(`/v1/resources/${ids.api}/commands`, {
        type: 'sync',
      });
      expect(res.status).toBe(403);
      res = await backend.post(
        `/v1/resources/${ids['unlinked-thing']}/commands`,
        {
          type: 'refresh',
        },
      );
      expect(res.status).toBe(403);
      expect(await commandCount(knex)).toBe(0);

      res = await backend.post(`/v1/resources/${ids.web}/commands`, {
        type: 'sync',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        resourceId: ids.web,
        type: 'sync',
        hard: false,
        status: 'queued',
        requestedBy: 'user:default/alice',
        deliveredAt: null,
        finishedAt: null,
        message: null,
      });
      expect(await commandCount(knex)).toBe(1);
      expect(
        events.map(e => [
          e.options.eventId,
          e.options.meta.resourceId,
          e.outcome,
        ]),
      ).toEqual([
        ['command-create', ids.api, 'fail'],
        ['command-create', ids['unlinked-thing'], 'fail'],
        ['command-create', ids.web, 'success'],
      ]);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'an identical pending request returns the existing command, %p',
    async databaseId => {
      const { knex, backend, ids } = await setup(databaseId);
      const first = await backend.post(`/v1/resources/${ids.web}/commands`, {
        type: 'sync',
      });
      expect(first.status).toBe(201);
      const again = await backend.post(`/v1/resources/${ids.web}/commands`, {
        type: 'sync',
      });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      backend.clock.advance(1000);
      const refresh = await backend.post(`/v1/resources/${ids.web}/commands`, {
        type: 'refresh',
        hard: true,
      });
      expect(refresh.status).toBe(201);
      expect(refresh.body.hard).toBe(true);
      expect(await commandCount(knex)).toBe(2);
      const history = await backend.get(`/v1/resources/${ids.web}/commands`);
      expect(history.body.items.map((c: any) => c.type)).toEqual([
        'refresh',
        'sync',
      ]);
      expect(backend.signals.filter(s => s.type === 'command')).toEqual([
        {
          type: 'command',
          commandId: first.body.id,
          resourceId: ids.web,
          status: 'queued',
        },
        {
          type: 'command',
          commandId: refresh.body.id,
          resourceId: ids.web,
          status: 'queued',
        },
      ]);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'a command not completed within its time to live expires, %p',
    async databaseId => {
      const { backend, ids } = await setup(databaseId);
      const created = await backend.post(`/v1/resources/${ids.web}/commands`, {
        type: 'sync',
      });
      backend.clock.advance(10 * 60_000 + 1);
      const res = await backend.get(`/v1/commands/${created.body.id}`);
      expect(res.body.status).toBe('expired');
      expect(res.body.finishedAt).toBe(
        new Date(backend.clock.now()).toISOString(),
      );
      expect((await poll(backend)).body.items).toEqual([]);
      // Expired commands no longer count as pending: a new request queues a new one.
      const next = await backend.post(`/v1/resources/${ids.web}/commands`, {
        type: 'sync',
      });
      expect(next.status).toBe(201);
      expect(next.body.id).not.toBe(created.body.id);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'a delivered command is leased and redelivered when no result arrives, %p',
    async databaseId => {
      const { backend, ids } = await setup(databaseId);
      const created = await backend.post(`/v1/resources/${ids.web}/commands`, {
        type: 'sync',
      });
      let res = await poll(backend);
      expect(res.body.items).toEqual([
        {
          id: created.body.id,
          type: 'sync',
          hard: false,
          resource: {
            tool: 'argocd',
            kind: 'Application',
            namespace: 'argocd',
            name: 'web',
          },
          expiresAt: created.body.expiresAt,
        },
      ]);
      expect(
        (await backend.get(`/v1/commands/${created.body.id}`)).body.status,
      ).toBe('delivered');
      expect((await poll(backend)).body.items).toEqual([]);
      backend.clock.advance(60_001);
      res = await poll(backend);
      expect(res.body.items.map((c: any) => c.id)).toEqual([created.body.id]);

      // Results: other cluster 403, unknown 404, bad body 400 naming the field.
      expect(
        (
          await result(
            backend,
            created.body.id,
            { status: 'succeeded', message: 'x' },
            AGENTS.b,
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await result(backend, 'no-such-id', {
            status: 'succeeded',
            message: 'x',
          })
        ).status,
      ).toBe(404);
      const bad = await result(backend, created.body.id, {
        status: 'done',
        message: 'x',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('status');
      const badTool = await request(backend.server)
        .post(`/api/gitops/agent/v1/commands/${created.body.id}/result`)
        .query({ tool: 'jenkins' })
        .set('Authorization', agentHeader(AGENTS.a.subject))
        .send({ status: 'succeeded', message: 'x' });
      expect(badTool.status).toBe(400);
      expect(badTool.body.error.message).toMatch(/^tool: /);
      // Neither refusal finished the command.
      expect(
        (await backend.get(`/v1/commands/${created.body.id}`)).body.status,
      ).toBe('delivered');

      res = await result(backend, created.body.id, {
        status: 'succeeded',
        message: 'sync started: operation 42',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: created.body.id,
        status: 'succeeded',
        message: 'sync started: operation 42',
        finishedAt: new Date(backend.clock.now()).toISOString(),
      });
      backend.clock.advance(120_000);
      expect((await poll(backend)).body.items).toEqual([]);
      expect(
        backend.signals
          .filter(s => s.type === 'command')
          .map(s => (s as any).status),
      ).toEqual(['queued', 'delivered', 'delivered', 'succeeded']);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'a long-poll answers as soon as a command is queued, %p',
    async databaseId => {
      const { backend, ids } = await setup(databaseId);
      const started = Date.now();
      const waiting = poll(backend, AGENTS.a, 25).then(res => ({
        res,
        elapsed: Date.now() - started,
      }));
      await new Promise(resolve => setTimeout(resolve, 300));
      const created = await backend.post(`/v1/resources/${ids.web}/commands`, {
        type: 'refresh',
      });
      const { res, elapsed } = await waiting;
      expect(res.body.items.map((c: any) => c.id)).toEqual([created.body.id]);
      // Answered by the queueing, long before the 25 s wait ran out.
      expect(elapsed).toBeLessThan(20_000);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'Suspend and Resume of a Flux object go through the ledger to the Flux agent; 409 for an ArgoCD Application or an agent without the capability, 403 when denied, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({
        knex,
        entities: [component('web'), component('api')],
        permissions: ownerPolicy,
      });
      await backend.push(
        AGENTS.a,
        makePush({
          upserts: [makeResource('web', { entityAnnotation: 'web' })],
        }),
      );
      const flux = (name: string, kind: 'Kustomization' | 'HelmRelease') =>
        makeResource(name, {
          tool: 'fluxcd',
          kind,
          namespace: 'flux-system',
          entityAnnotation: name,
        });
      const fluxPush = makePush({
        upserts: [flux('web', 'HelmRelease'), flux('api', 'Kustomization')],
      });
      fluxPush.agent = {
        ...fluxPush.agent,
        tool: 'fluxcd',
        session: 'flux-session',
        capabilities: { sync: true, refresh: true, suspend: true },
      };
      await backend.push(AGENTS.aFlux, fluxPush);
      const ids = Object.fromEntries(
        (await backend.list()).items.map(i => [`${i.kind}/${i.name}`, i.id]),
      );
      const clusters = await backend.get('/v1/clusters');
      expect(
        clusters.body.items[0].agents.map((a: any) => [a.tool, a.capabilities]),
      ).toEqual([
        ['argocd', { sync: true, refresh: true }],
        ['fluxcd', { sync: true, refresh: true, suspend: true }],
      ]);

      const suspend = await backend.post(
        `/v1/resources/${ids['HelmRelease/web']}/commands`,
        { type: 'suspend' },
      );
      expect(suspend.status).toBe(201);
      expect(suspend.body).toMatchObject({
        type: 'suspend',
        hard: false,
        status: 'queued',
        requestedBy: 'user:default/alice',
      });
      const again = await backend.post(
        `/v1/resources/${ids['HelmRelease/web']}/commands`,
        { type: 'suspend' },
      );
      expect([again.status, again.body.id]).toEqual([200, suspend.body.id]);
      backend.clock.advance(1000);
      const resume = await backend.post(
        `/v1/resources/${ids['HelmRelease/web']}/commands`,
        { type: 'resume', hard: true },
      );
      expect([resume.status, resume.body.hard]).toEqual([201, false]);

      // The owner policy denies api; nothing is queued for it.
      const denied = await backend.post(
        `/v1/resources/${ids['Kustomization/api']}/commands`,
        { type: 'suspend' },
      );
      expect(denied.status).toBe(403);
      const argo = await backend.post(
        `/v1/resources/${ids['Application/web']}/commands`,
        { type: 'suspend' },
      );
      expect(argo.status).toBe(409);
      expect(argo.body.error.message).toBe(
        'An ArgoCD Application has no suspend: Suspend and Resume apply to Flux objects (turn off automated sync in ArgoCD instead).',
      );
      const unknown = await backend.post(
        `/v1/resources/${ids['HelmRelease/web']}/commands`,
        { type: 'pause' },
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain('type');

      // The Flux agent is handed both, in the order they were asked for; ArgoCD's gets neither.
      expect((await poll(backend, AGENTS.a, 0, 'argocd')).body.items).toEqual(
        [],
      );
      const delivered = await poll(backend, AGENTS.aFlux, 0, 'fluxcd');
      expect(
        delivered.body.items.map((c: any) => [c.id, c.type, c.resource]),
      ).toEqual([
        [
          suspend.body.id,
          'suspend',
          {
            tool: 'fluxcd',
            kind: 'HelmRelease',
            namespace: 'flux-system',
            name: 'web',
          },
        ],
        [resume.body.id, 'resume', expect.objectContaining({ name: 'web' })],
      ]);
      const done = await result(
        backend,
        suspend.body.id,
        { status: 'succeeded', message: 'spec.suspend set to true' },
        AGENTS.aFlux,
      );
      expect(done.body).toMatchObject({
        type: 'suspend',
        status: 'succeeded',
        message: 'spec.suspend set to true',
      });
      const history = await backend.get(
        `/v1/resources/${ids['HelmRelease/web']}/commands`,
      );
      expect(history.body.items.map((c: any) => [c.type, c.status])).toEqual([
        ['resume', 'delivered'],
        ['suspend', 'succeeded'],
      ]);

      // A Flux agent from before Suspend reports no such flag: both are refused, Sync is not.
      await backend.push(AGENTS.aFlux, {
        ...fluxPush,
        seq: 2,
        agent: {
          ...fluxPush.agent,
          capabilities: { sync: true, refresh: true },
        },
      });
      const older = await backend.post(
        `/v1/resources/${ids['HelmRelease/web']}/commands`,
        { type: 'suspend' },
      );
      expect(older.status).toBe(409);
      expect(older.body.error.message).toBe(
        'The FluxCD agent of cluster cluster-a does not offer Suspend and Resume; a newer agent version does.',
      );
      expect(
        (
          await backend.post(
            `/v1/resources/${ids['HelmRelease/web']}/commands`,
            { type: 'sync' },
          )
        ).status,
      ).toBe(201);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    '409 when the cluster agent cannot run the command, %p',
    async databaseId => {
      const { knex, backend, ids } = await setup(databaseId, {
        readOnly: true,
      });
      const res = await backend.post(`/v1/resources/${ids.web}/commands`, {
        type: 'sync',
      });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        'Cluster cluster-a is read-only: its agent has no ArgoCD token.',
      );
      expect(await commandCount(knex)).toBe(0);

      const fluxPush = makePush({
        upserts: [
          makeResource('podinfo', { tool: 'fluxcd', kind: 'GitRepository' }),
        ],
      });
      fluxPush.agent.tool = 'fluxcd';
      await backend.push(AGENTS.b, fluxPush);
      const repoId = (await backend.list('?tool=fluxcd')).items[0].id;
      const sync = await backend.post(`/v1/resources/${repoId}/commands`, {
        type: 'sync',
      });
      expect(sync.status).toBe(409);
      expect(sync.body.error.message).toContain(
        'use Refresh for a GitRepository',
      );
      const refresh = await backend.post(`/v1/resources/${repoId}/commands`, {
        type: 'refresh',
      });
      expect(refresh.status).toBe(201);

      // An agent silent past the disconnect threshold would not pick the command up.
      backend.clock.advance(15 * 60_000 + 1);
      const late = await backend.post(`/v1/resources/${repoId}/commands`, {
        type: 'refresh',
      });
      expect(late.status).toBe(409);
      expect(late.body.error.message).toBe(
        'The FluxCD agent of cluster cluster-b is disconnected, so it would not pick up the command.',
      );
      await backend.stop();
    },
  );

  it.each(
    databases.eachSupportedId().filter(([id]) => id.startsWith('POSTGRES')),
  )(
    'a command queued on one replica wakes the long-poll on another at once (LISTEN/NOTIFY), %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const clock = new ManualClock();
      // The safety poll is an hour away: only the wake-up can deliver within the poll.
      const config = {
        gitops: {
          agents: Object.values(AGENTS),
          commands: { pollInterval: '1h' },
        },
      };
      const replica1 = await startGitOpsBackend({ knex, clock, config });
      const replica2 = await startGitOpsBackend({ knex, clock, config });
      await replica1.push(
        AGENTS.a,
        makePush({ upserts: [makeResource('web')] }),
      );
      const [resource] = (await replica1.list()).items;

      const waiting = poll(replica2, AGENTS.a, 25);
      // Let the poll reach its wait; were it late, its first claim would find the command.
      await new Promise(resolve => setTimeout(resolve, 300));
      const queued = await replica1.post(
        `/v1/resources/${resource.id}/commands`,
        { type: 'sync' },
      );
      expect(queued.status).toBe(201);
      expect((await waiting).body.items.map((c: any) => c.id)).toEqual([
        queued.body.id,
      ]);
      await replica1.stop();
      await replica2.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'a second poll from the same agent answers the first one empty and gets the next command, %p',
    async databaseId => {
      const backend = await startGitOpsBackend({
        knex: await databases.init(databaseId),
      });
      await backend.push(
        AGENTS.a,
        makePush({ upserts: [makeResource('web')] }),
      );
      const [resource] = (await backend.list()).items;

      const first = poll(backend, AGENTS.a, 25);
      await new Promise(resolve => setTimeout(resolve, 300));
      // Shorter than the first: had it not replaced the first, it would end before it.
      const second = poll(backend, AGENTS.a, 10);
      expect((await first).body).toEqual({ items: [] });
      const queued = await backend.post(
        `/v1/resources/${resource.id}/commands`,
        { type: 'sync' },
      );
      expect((await second).body.items.map((c: any) => c.id)).toEqual([
        queued.body.id,
      ]);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'an ArgoCD and a Flux agent of one cluster keep their own capabilities and get only their own commands, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({
        knex,
        entities: [component('web'), component('api')],
      });
      // Linked by annotation: a name match alone does not allow commands.
      const web = makeResource('web', { entityAnnotation: 'web' });
      await backend.push(AGENTS.a, makePush({ upserts: [web] }));
      const fluxPush = makePush({
        upserts: [
          makeResource('api', {
            tool: 'fluxcd',
            kind: 'Kustomization',
            namespace: 'flux-system',
            entityAnnotation: 'api',
          }),
        ],
      });
      fluxPush.agent = {
        ...fluxPush.agent,
        tool: 'fluxcd',
        session: 'flux-session',
        capabilities: { sync: false, refresh: true },
      };
      await backend.push(AGENTS.aFlux, fluxPush);
      // The ArgoCD agent pushes again after the Flux agent: neither overwrites the other.
      await backend.push(AGENTS.a, makePush({ seq: 2, upserts: [web] }));

      const clusters = await backend.get('/v1/clusters');
      expect(clusters.status).toBe(200);
      expect(
        clusters.body.items.map((c: any) => [
          c.name,
          c.agents.map((a: any) => [
            a.tool,
            a.session,
            a.capabilities,
            a.state,
          ]),
        ]),
      ).toEqual([
        [
          'cluster-a',
          [
            ['argocd', 'session-1', { sync: true, refresh: true }, 'connected'],
            [
              'fluxcd',
              'flux-session',
              { sync: false, refresh: true },
              'connected',
            ],
          ],
        ],
      ]);
      const ids = Object.fromEntries(
        (await backend.list()).items.map(i => [i.kind, i.id]),
      );
      expect(Object.keys(ids).sort()).toEqual(['Application', 'Kustomization']);

      // Each command is decided by the agent of the resource's tool.
      const fluxSync = await backend.post(
        `/v1/resources/${ids.Kustomization}/commands`,
        { type: 'sync' },
      );
      expect(fluxSync.status).toBe(409);
      expect(fluxSync.body.error.message).toBe(
        'Cluster cluster-a is read-only: its agent cannot run sync.',
      );
      const fluxRefresh = await backend.post(
        `/v1/resources/${ids.Kustomization}/commands`,
        { type: 'refresh' },
      );
      const argoSync = await backend.post(
        `/v1/resources/${ids.Application}/commands`,
        { type: 'sync' },
      );
      expect([fluxRefresh.status, argoSync.status]).toEqual([201, 201]);

      // Each agent is handed only the commands of its own tool.
      const argoPoll = await poll(backend, AGENTS.a, 0, 'argocd');
      expect(argoPoll.body.items.map((c: any) => c.id)).toEqual([
        argoSync.body.id,
      ]);
      const fluxPoll = await poll(backend, AGENTS.aFlux, 0, 'fluxcd');
      expect(
        fluxPoll.body.items.map((c: any) => [c.id, c.resource.kind]),
      ).toEqual([[fluxRefresh.body.id, 'Kustomization']]);

      // A poll naming no tool gets the commands of the tool its credential pushed for.
      const argoRefresh = await backend.post(
        `/v1/resources/${ids.Application}/commands`,
        { type: 'refresh' },
      );
      expect((await poll(backend, AGENTS.aFlux)).body.items).toEqual([]);
      expect(
        (await poll(backend, AGENTS.a)).body.items.map((c: any) => c.id),
      ).toEqual([argoRefresh.body.id]);

      // A poll is the heartbeat of its tool's agent alone.
      backend.clock.advance(15 * 60_000 + 1);
      await poll(backend, AGENTS.a, 0, 'argocd');
      const later = await backend.get('/v1/clusters');
      expect(
        later.body.items[0].agents.map((a: any) => [a.tool, a.state]),
      ).toEqual([
        ['argocd', 'connected'],
        ['fluxcd', 'disconnected'],
      ]);
      expect(later.body.items[0].state).toBe('connected');
      expect(
        (await backend.list()).items.map(i => [i.kind, i.clusterState]).sort(),
      ).toEqual([
        ['Application', 'connected'],
        ['Kustomization', 'disconnected'],
      ]);
      const unwatched = await backend.post(
        `/v1/resources/${ids.Kustomization}/commands`,
        { type: 'refresh', hard: true },
      );
      expect(unwatched.status).toBe(409);
      expect(unwatched.body.error.message).toBe(
        'The FluxCD agent of cluster cluster-a is disconnected, so it would not pick up the command.',
      );
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'two agents of one cluster: results, refused pushes and stale kinds stay with their tool, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({
        knex,
        entities: [component('web'), component('api')],
      });
      const web = makeResource('web', { entityAnnotation: 'web' });
      await backend.push(AGENTS.a, makePush({ upserts: [web] }));
      const fluxPush = makePush({
        upserts: [
          makeResource('api', {
            tool: 'fluxcd',
            kind: 'Kustomization',
            namespace: 'flux-system',
            entityAnnotation: 'api',
          }),
        ],
      });
      const fluxAgent = {
        ...fluxPush.agent,
        tool: 'fluxcd' as const,
        session: 'flux-session',
        kinds: [
          {
            kind: 'Kustomization' as const,
            apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
            state: 'stale' as const,
            reason: 'watch failed: 403 Forbidden',
          },
          {
            kind: 'HelmRelease' as const,
            apiVersion: null,
            state: 'unavailable' as const,
          },
        ],
      };
      fluxPush.agent = fluxAgent;
      await backend.push(AGENTS.aFlux, fluxPush);

      // The Flux agent cannot watch Kustomizations: those read as stale, the Application not.
      const items = (await backend.list()).items;
      expect(items.map(i => [i.kind, i.clusterState, i.stale]).sort()).toEqual([
        ['Application', 'connected', false],
        ['Kustomization', 'connected', true],
      ]);
      const ids = Object.fromEntries(items.map(i => [i.kind, i.id]));
      const agents = async () =>
        (await backend.get('/v1/clusters')).body.items[0].agents;
      expect((await agents()).map((a: any) => [a.tool, a.kinds])).toEqual([
        ['argocd', null],
        ['fluxcd', fluxAgent.kinds],
      ]);

      // An ArgoCD agent cannot report the result of the Flux agent's command.
      const refresh = await backend.post(
        `/v1/resources/${ids.Kustomization}/commands`,
        { type: 'refresh' },
      );
      expect(refresh.status).toBe(201);
      await poll(backend, AGENTS.aFlux, 0, 'fluxcd');
      const ok = { status: 'succeeded', message: 'done' };
      const wrongAgent = await result(backend, refresh.body.id, ok, AGENTS.a);
      expect(wrongAgent.status).toBe(403);
      expect(wrongAgent.body.error.message).toBe(
        `command ${refresh.body.id} is for the fluxcd agent of this cluster`,
      );
      const wrongTool = await request(backend.server)
        .post(`/api/gitops/agent/v1/commands/${refresh.body.id}/result`)
        .query({ tool: 'argocd' })
        .set('Authorization', agentHeader(AGENTS.aFlux.subject))
        .send(ok);
      expect(wrongTool.status).toBe(403);
      const right = await result(backend, refresh.body.id, ok, AGENTS.aFlux);
      expect([right.status, right.body.status]).toEqual([200, 'succeeded']);

      // A refused Flux push is the Flux agent's; an applied ArgoCD push does not clear it.
      const refused = await backend.push(AGENTS.aFlux, {
        ...makePush({ seq: 5 }),
        agent: fluxAgent,
        upserts: [{ ...web, tool: 'fluxcd', kind: 'Nope' } as any],
      });
      expect(refused.status).toBe(400);
      await backend.push(AGENTS.a, makePush({ seq: 6, upserts: [web] }));
      const afterRefusal = await agents();
      expect(
        afterRefusal.map((a: any) => [
          a.tool,
          a.lastRefusedPush?.status ?? null,
        ]),
      ).toEqual([
        ['argocd', null],
        ['fluxcd', 400],
      ]);
      expect(
        (await backend.get('/v1/clusters')).body.items[0].lastRefusedPush
          .status,
      ).toBe(400);

      // Once the Flux agent watches again and a push of it is applied, both clear.
      await backend.push(AGENTS.aFlux, {
        ...fluxPush,
        seq: 7,
        agent: {
          ...fluxAgent,
          kinds: [{ ...fluxAgent.kinds[0], state: 'watching' }],
        },
      });
      expect(
        (await agents()).map((a: any) => [
          a.tool,
          a.lastRefusedPush,
          a.kinds?.map((k: any) => k.state) ?? null,
        ]),
      ).toEqual([
        ['argocd', null, null],
        ['fluxcd', null, ['watching']],
      ]);
      expect(
        (await backend.list()).items.map(i => [i.kind, i.stale]).sort(),
      ).toEqual([
        ['Application', false],
        ['Kustomization', false],
      ]);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'a poll naming an unknown tool is a 400 naming the field, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({ knex });
      await backend.push(AGENTS.a, makePush());
      const res = await poll(backend, AGENTS.a, 0, 'jenkins');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('tool');
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'two replicas with concurrent pollers never claim one command twice, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const clock = new ManualClock();
      const names = Array.from({ length: 24 }, (_, i) => `svc-${i}`);
      const replica1 = await startGitOpsBackend({ knex, clock });
      const replica2 = await startGitOpsBackend({ knex, clock });
      await replica1.push(
        AGENTS.a,
        makePush({ upserts: names.map(n => makeResource(n)) }),
      );
      const ids = (await replica1.list('?limit=100')).items.map(i => i.id);

      // A poller waiting on replica 2 gets a command queued through replica 1.
      const waiting = poll(replica2, AGENTS.a, 20);
      await new Promise(resolve => setTimeout(resolve, 300));
      const first = await replica1.post(`/v1/resources/${ids[0]}/commands`, {
        type: 'sync',
      });
      expect((await waiting).body.items.map((c: any) => c.id)).toEqual([
        first.body.id,
      ]);

      const queued = new Set<string>();
      for (const id of ids.slice(1)) {
        queued.add(
          (
            await replica2.post(`/v1/resources/${id}/commands`, {
              type: 'sync',
            })
          ).body.id,
        );
      }
      const delivered: string[] = [];
      for (
        let round = 0;
        round < 20 && delivered.length < queued.size;
        round++
      ) {
        const responses = await Promise.all(
          [replica1, replica2, replica1, replica2, replica1, replica2].map(r =>
            poll(r, AGENTS.a, 0),
          ),
        );
        for (const res of responses) {
          expect(res.status).toBe(200);
          delivered.push(...res.body.items.map((c: any) => c.id));
        }
      }
      expect(delivered.sort()).toEqual([...queued].sort());
      await replica1.stop();
      await replica2.stop();
    },
  );
});
