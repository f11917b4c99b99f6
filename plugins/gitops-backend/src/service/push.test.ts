import request from 'supertest';
import { LAST_SEEN_FLUSH_TASK } from './tasks';
import {
  AGENTS,
  agentHeader,
  component,
  createTestDatabases,
  eventually,
  makePush,
  makeResource,
  startGitOpsBackend,
  userHeader,
} from '../__testUtils__/harness';

jest.setTimeout(120_000);

describe('agent push', () => {
  const databases = createTestDatabases();

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const backend = await startGitOpsBackend({ knex });
    return { knex, backend };
  }

  const names = (list: { items: { name: string }[] }) =>
    list.items.map(i => i.name).sort();

  it.each(databases.eachSupportedId())(
    'stores a snapshot larger than one multi-row insert, then re-applies it unchanged and changed, %p',
    async databaseId => {
      const { backend } = await setup(databaseId);
      const fleet = (seq: number, revision: string) =>
        makePush({
          seq,
          upserts: Array.from({ length: 1200 }, (_, i) => ({
            ...makeResource(`app-${String(i).padStart(4, '0')}`),
            revision,
          })),
        });
      for (const [seq, revision, applied] of [
        [1, 'rev-1', 1200],
        [2, 'rev-1', 1200],
        [3, 'rev-2', 1200],
      ] as const) {
        const res = await backend.push(AGENTS.a, fleet(seq, revision));
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ applied });
      }
      const page = await backend.list('?limit=500&sort=-name');
      expect(page.totalCount).toBe(1200);
      expect(page.items[0]).toMatchObject({
        name: 'app-1199',
        revision: 'rev-2',
      });
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'a snapshot replaces the set of its cluster and tool, %p',
    async databaseId => {
      const { backend } = await setup(databaseId);
      let res = await backend.push(
        AGENTS.a,
        makePush({
          seq: 1,
          upserts: [makeResource('web'), makeResource('api')],
        }),
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ applied: 2 });
      expect(names(await backend.list())).toEqual(['api', 'web']);

      res = await backend.push(
        AGENTS.a,
        makePush({
          seq: 2,
          upserts: [makeResource('web'), makeResource('worker')],
        }),
      );
      expect(res.body).toEqual({ applied: 3 });
      const list = await backend.list();
      expect(names(list)).toEqual(['web', 'worker']);
      expect(list.items[0]).toMatchObject({
        cluster: 'cluster-a',
        clusterState: 'connected',
        link: { status: 'unlinked', entityRef: null, candidates: [] },
      });
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'deltas upsert and delete; the stored record round-trips, %p',
    async databaseId => {
      const { backend } = await setup(databaseId);
      await backend.push(
        AGENTS.a,
        makePush({ seq: 1, upserts: [makeResource('web')] }),
      );
      const changed = makeResource('web', {
        syncStatus: 'OutOfSync',
        healthStatus: 'Degraded',
        drift: { detected: true, reason: 'live state differs from Git' },
        message: 'ünïcödé <b>raw</b>  ',
        lastSyncedAt: '2025-06-01T13:30:00+02:00',
      });
      let res = await backend.push(
        AGENTS.a,
        makePush({
          seq: 2,
          type: 'delta',
          upserts: [changed, makeResource('api')],
        }),
      );
      expect(res.body).toEqual({ applied: 2 });
      const web = (await backend.list('?q=web')).items[0];
      const {
        id,
        cluster,
        clusterState,
        link,
        observedAt,
        rootCause,
        stale,
        ...wire
      } = web;
      expect(rootCause).toBeNull();
      expect(stale).toBe(false);
      expect(wire).toEqual({
        ...changed,
        lastSyncedAt: '2025-06-01T11:30:00.000Z',
      });

      res = await backend.push(
        AGENTS.a,
        makePush({
          seq: 3,
          type: 'delta',
          deletes: [
            {
              tool: 'argocd',
              kind: 'Application',
              namespace: 'argocd',
              name: 'web',
            },
          ],
        }),
      );
      expect(res.body).toEqual({ applied: 1 });
      expect(names(await backend.list())).toEqual(['api']);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'a split snapshot applies when its last part arrives, %p',
    async databaseId => {
      const { backend } = await setup(databaseId);
      await backend.push(
        AGENTS.a,
        makePush({ seq: 1, upserts: [makeResource('old')] }),
      );
      let res = await backend.push(
        AGENTS.a,
        makePush({ seq: 2, part: 1, parts: 2, upserts: [makeResource('one')] }),
      );
      expect(res.body).toEqual({ applied: 0 });
      expect(names(await backend.list())).toEqual(['old']);
      // A retried part is harmless.
      res = await backend.push(
        AGENTS.a,
        makePush({ seq: 2, part: 1, parts: 2, upserts: [makeResource('one')] }),
      );
      expect(res.body).toEqual({ applied: 0 });
      res = await backend.push(
        AGENTS.a,
        makePush({ seq: 2, part: 2, parts: 2, upserts: [makeResource('two')] }),
      );
      expect(res.body).toEqual({ applied: 3 });
      expect(names(await backend.list())).toEqual(['one', 'two']);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'a replayed or older seq is acknowledged and ignored; a new session starts over, %p',
    async databaseId => {
      const { backend } = await setup(databaseId);
      await backend.push(
        AGENTS.a,
        makePush({ seq: 5, upserts: [makeResource('web')] }),
      );
      let res = await backend.push(AGENTS.a, makePush({ seq: 5, upserts: [] }));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ applied: 0 });
      res = await backend.push(AGENTS.a, makePush({ seq: 3, upserts: [] }));
      expect(res.body).toEqual({ applied: 0 });
      expect(names(await backend.list())).toEqual(['web']);

      const restarted = makePush({ seq: 1, upserts: [makeResource('api')] });
      restarted.agent.session = 'session-2';
      res = await backend.push(AGENTS.a, restarted);
      expect(res.body).toEqual({ applied: 2 });
      expect(names(await backend.list())).toEqual(['api']);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'bad pushes answer 400/401/403/413 and store nothing, %p',
    async databaseId => {
      const { knex, backend } = await setup(databaseId);
      await backend.push(
        AGENTS.a,
        makePush({ seq: 1, upserts: [makeResource('web')] }),
      );
      const before = await knex('gitops_resources').select('*').orderBy('id');

      const badTool = makePush({
        seq: 2,
        upserts: [
          makeResource('x'),
          { ...makeResource('y'), tool: 'jenkins' } as any,
        ],
      });
      let res = await backend.push(AGENTS.a, badTool);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/upserts.*1.*tool/);

      // Schema-valid JSON that only the shared zod rules reject.
      const badDrift = makePush({
        seq: 2,
        upserts: [
          makeResource('x', { drift: { detected: true, reason: null } }),
        ],
      });
      res = await backend.push(AGENTS.a, badDrift);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('upserts.0.drift.reason');

      const fluxInArgoPush = makePush({
        seq: 2,
        upserts: [makeResource('x', { tool: 'fluxcd', kind: 'Kustomization' })],
      });
      res = await backend.push(AGENTS.a, fluxInArgoPush);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('upserts.0.tool');

      res = await request(backend.server)
        .post('/api/gitops/agent/v1/push')
        .send(makePush({ seq: 2, upserts: [] }));
      expect(res.status).toBe(401);

      res = await request(backend.server)
        .post('/api/gitops/agent/v1/push')
        .set('Authorization', userHeader())
        .send(makePush({ seq: 2, upserts: [] }));
      expect(res.status).toBe(403);

      res = await request(backend.server)
        .post('/api/gitops/agent/v1/push')
        .set('Authorization', agentHeader('someone-else'))
        .send(makePush({ seq: 2, upserts: [] }));
      expect(res.status).toBe(403);

      const huge = makePush({
        seq: 2,
        upserts: [
          makeResource('big', { message: 'x'.repeat(11 * 1024 * 1024) }),
        ],
      });
      res = await backend.push(AGENTS.a, huge);
      expect(res.status).toBe(413);

      expect(await knex('gitops_resources').select('*').orderBy('id')).toEqual(
        before,
      );
      // The rejected pushes did not consume seq 2.
      res = await backend.push(AGENTS.a, makePush({ seq: 2, upserts: [] }));
      expect(res.body).toEqual({ applied: 1 });
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'an agent writes only its own cluster and tenant, %p',
    async databaseId => {
      const { backend } = await setup(databaseId);
      await backend.push(
        AGENTS.a,
        makePush({ seq: 1, upserts: [makeResource('web')] }),
      );
      await backend.push(
        AGENTS.other,
        makePush({ seq: 1, upserts: [makeResource('secret')] }),
      );
      // Agent B's snapshot and deletes never touch cluster A.
      const res = await backend.push(
        AGENTS.b,
        makePush({
          seq: 1,
          upserts: [makeResource('api')],
          deletes: [
            {
              tool: 'argocd',
              kind: 'Application',
              namespace: 'argocd',
              name: 'web',
            },
          ],
        }),
      );
      expect(res.status).toBe(200);
      const list = await backend.list('?sort=cluster');
      expect(list.items.map(i => `${i.cluster}/${i.name}`)).toEqual([
        'cluster-a/web',
        'cluster-b/api',
      ]);
      const clusters = await backend.get('/v1/clusters');
      expect(clusters.body.items.map((c: any) => c.name)).toEqual([
        'cluster-a',
        'cluster-b',
      ]);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'clusters turn stale after 5 and disconnected after 15 minutes, data kept, %p',
    async databaseId => {
      const { backend } = await setup(databaseId);
      await backend.push(
        AGENTS.a,
        makePush({ seq: 1, upserts: [makeResource('web')] }),
      );
      const state = async () =>
        (await backend.get('/v1/clusters')).body.items[0].state;
      expect(await state()).toBe('connected');
      backend.clock.advance(5 * 60_000 + 1);
      expect(await state()).toBe('stale');
      expect((await backend.list()).items[0].clusterState).toBe('stale');
      backend.clock.advance(10 * 60_000);
      expect(await state()).toBe('disconnected');
      expect((await backend.list()).items.map(i => i.name)).toEqual(['web']);
      // A command poll is a heartbeat too.
      const poll = await request(backend.server)
        .get('/api/gitops/agent/v1/commands?wait=0')
        .set('Authorization', agentHeader(AGENTS.a.subject));
      expect(poll.status).toBe(200);
      expect(await state()).toBe('connected');
      const cluster = (await backend.get('/v1/clusters')).body.items[0];
      expect(cluster).toEqual({
        name: 'cluster-a',
        state: 'connected',
        lastSeenAt: new Date(backend.clock.now()).toISOString(),
        lastRefusedPush: null,
        agents: [
          {
            tool: 'argocd',
            version: '1.0.0',
            session: 'session-1',
            capabilities: { sync: true, refresh: true },
            state: 'connected',
            lastSeenAt: new Date(backend.clock.now()).toISOString(),
            kinds: null,
            lastRefusedPush: null,
          },
        ],
      });
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'a heartbeat changes nothing: stats stay cached, no signal; last-seen is written on the flush, %p',
    async databaseId => {
      const { backend, knex } = await setup(databaseId);
      const first = makePush({ seq: 1, upserts: [makeResource('web')] });
      expect((await backend.push(AGENTS.a, first)).status).toBe(200);
      const stats = (await backend.get('/v1/stats')).body;
      const signalsBefore = backend.signals.length;
      const storedLastSeen = async () =>
        Number(
          (await knex('gitops_clusters').where({ name: 'cluster-a' }).first())
            .last_seen_at,
        );
      const startedAt = backend.clock.now();

      // Heartbeats and an unchanged snapshot: the same stats object, not a new signal.
      for (let seq = 2; seq <= 4; seq++) {
        backend.clock.advance(30_000);
        const heartbeat = makePush({ seq, type: 'delta' });
        const res = await backend.push(AGENTS.a, heartbeat);
        expect(res.body).toEqual({ applied: 0 });
      }
      backend.clock.advance(30_000);
      const unchanged = makePush({ seq: 5, upserts: [makeResource('web')] });
      expect((await backend.push(AGENTS.a, unchanged)).body).toEqual({
        applied: 1,
      });
      expect((await backend.get('/v1/stats')).body).toEqual(stats);
      expect(backend.signals.slice(signalsBefore)).toEqual([]);

      // The last heartbeat shows at once on this replica, and is stored on the flush.
      backend.clock.advance(30_000);
      await backend.push(AGENTS.a, makePush({ seq: 6, type: 'delta' }));
      const seenAt = new Date(backend.clock.now()).toISOString();
      expect((await backend.get('/v1/clusters')).body.items[0].lastSeenAt).toBe(
        seenAt,
      );
      expect(await storedLastSeen()).toBeLessThan(backend.clock.now());
      expect(await storedLastSeen()).toBeGreaterThanOrEqual(startedAt);
      await backend.scheduler.triggerTask(LAST_SEEN_FLUSH_TASK);
      expect(await storedLastSeen()).toBe(backend.clock.now());

      // A change still invalidates and signals: with the next notice, at most an interval later.
      await backend.push(
        AGENTS.a,
        makePush({
          seq: 7,
          type: 'delta',
          upserts: [makeResource('web', { healthStatus: 'Degraded' })],
        }),
      );
      await eventually(async () =>
        expect((await backend.get('/v1/stats')).body.failed).toBe(1),
      );
      await eventually(() =>
        expect(backend.signals.slice(signalsBefore)).toEqual([
          { type: 'resources', clusters: ['cluster-a'], entityRefs: [] },
        ]),
      );
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'change notices: at most one per interval, naming the clusters and entities changed, %p',
    async databaseId => {
      const intervalMs = 4000;
      const backend = await startGitOpsBackend({
        knex: await databases.init(databaseId),
        entities: [component('web'), component('api'), component('db')],
        config: {
          gitops: {
            agents: Object.values(AGENTS),
            signals: { interval: `${intervalMs}ms` },
          },
        },
      });
      const snapshotOf = (name: string) =>
        makePush({ seq: 1, upserts: [makeResource(name)] });
      await backend.push(AGENTS.a, snapshotOf('web'));
      await backend.push(AGENTS.b, snapshotOf('api'));
      await backend.push(AGENTS.a, makePush({ seq: 2, type: 'delta' }));
      await backend.push(
        AGENTS.a,
        makePush({
          seq: 3,
          type: 'delta',
          upserts: [makeResource('db')],
          deletes: [
            {
              tool: 'argocd',
              kind: 'Application',
              namespace: 'argocd',
              name: 'web',
            },
          ],
        }),
      );
      const named = (field: 'clusters' | 'entityRefs') =>
        [
          ...new Set(
            backend.signals.flatMap(s =>
              s.type === 'resources' ? s[field] ?? [] : [],
            ),
          ),
        ].sort();
      await eventually(() => {
        expect(named('clusters')).toEqual(['cluster-a', 'cluster-b']);
        expect(named('entityRefs')).toEqual([
          'component:default/api',
          'component:default/db',
          'component:default/web',
        ]);
      });
      // The first change went out at once, the rest together after the interval.
      expect(backend.signals[0]).toEqual({
        type: 'resources',
        clusters: ['cluster-a'],
        entityRefs: ['component:default/web'],
      });
      expect(backend.signals.length).toBeLessThanOrEqual(3);
      for (let i = 1; i < backend.signalTimes.length; i++) {
        expect(
          backend.signalTimes[i] - backend.signalTimes[i - 1],
        ).toBeGreaterThanOrEqual(intervalMs / 2);
      }
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'two replicas together send at most one notice per interval, and stats are fresh by the notice, %p',
    async databaseId => {
      const intervalMs = 1500;
      const knex = await databases.init(databaseId);
      const config = {
        gitops: {
          agents: Object.values(AGENTS),
          signals: { interval: `${intervalMs}ms` },
        },
      };
      const replicas = [
        await startGitOpsBackend({ knex, config }),
        await startGitOpsBackend({ knex, config }),
      ];
      const degraded = (seq: number, resourceNames: string[]) =>
        makePush({
          seq,
          type: seq === 1 ? 'snapshot' : 'delta',
          upserts: resourceNames.map(n =>
            makeResource(n, { healthStatus: 'Degraded' }),
          ),
        });
      // Alternating replicas, each push within the interval of the last notice.
      await replicas[0].push(AGENTS.a, degraded(1, ['a1']));
      await replicas[1].push(AGENTS.b, degraded(1, ['b1']));
      await replicas[0].push(AGENTS.a, degraded(2, ['a2']));
      await replicas[1].push(AGENTS.b, degraded(2, ['b2']));
      const times = () =>
        replicas.flatMap(r => r.signalTimes).sort((x, y) => x - y);
      await eventually(() => {
        const named = new Set(
          replicas.flatMap(r =>
            r.signals.flatMap(s => (s.type === 'resources' ? s.clusters : [])),
          ),
        );
        expect([...named].sort()).toEqual(['cluster-a', 'cluster-b']);
        expect(times().length).toBeGreaterThanOrEqual(2);
      });
      // Uncoalesced notices would come milliseconds apart; a loaded machine delays a publish
      // after its slot was taken, so the gap is checked against half the interval.
      const sent = times();
      for (let i = 1; i < sent.length; i++) {
        expect(sent[i] - sent[i - 1]).toBeGreaterThanOrEqual(intervalMs / 2);
      }
      // Whichever replica a browser asks after the notices, it counts all four.
      for (const replica of replicas) {
        await eventually(async () =>
          expect((await replica.get('/v1/stats')).body.failed).toBe(4),
        );
      }
      await Promise.all(replicas.map(r => r.stop()));
    },
  );

  it.each(databases.eachSupportedId())(
    'records status history on each change of sync, health or revision, %p',
    async databaseId => {
      const { backend } = await setup(databaseId);
      await backend.push(
        AGENTS.a,
        makePush({ seq: 1, upserts: [makeResource('web')] }),
      );
      backend.clock.advance(1000);
      // Same content: no history entry.
      await backend.push(
        AGENTS.a,
        makePush({ seq: 2, upserts: [makeResource('web')] }),
      );
      backend.clock.advance(1000);
      await backend.push(
        AGENTS.a,
        makePush({
          seq: 3,
          upserts: [makeResource('web', { revision: 'def456' })],
        }),
      );
      backend.clock.advance(1000);
      await backend.push(
        AGENTS.a,
        makePush({
          seq: 4,
          type: 'delta',
          upserts: [
            makeResource('web', {
              revision: 'def456',
              healthStatus: 'Degraded',
            }),
          ],
        }),
      );
      const id = (await backend.list()).items[0].id;
      const detail = await backend.get(`/v1/resources/${id}`);
      expect(detail.status).toBe(200);
      expect(
        detail.body.history.map((h: any) => [h.healthStatus, h.revision]),
      ).toEqual([
        ['Degraded', 'def456'],
        ['Healthy', 'def456'],
        ['Healthy', 'abc123'],
      ]);
      expect(detail.body.observedAt).toBe(
        new Date(backend.clock.now()).toISOString(),
      );
      await backend.stop();
    },
  );
});
