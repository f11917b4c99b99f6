import type { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import type { GitOpsResource } from '@shoehorn/plugin-gitops-common';
import type { Knex } from 'knex';
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
  userHeader,
} from '../__testUtils__/harness';
import { OWNER_ALERTS_TASK } from './setUpNotifications';

jest.setTimeout(180_000);

const MINUTE = 60_000;
const ALICE = 'user:default/alice';

function ownedByAlice(name: string, annotations: Record<string, string> = {}) {
  const entity: Entity = component(name);
  entity.metadata.annotations = annotations;
  entity.spec = { owner: ALICE };
  entity.relations = [{ type: 'ownedBy', targetRef: ALICE }];
  return entity;
}

const ENTITIES = [
  ownedByAlice('web'),
  ownedByAlice('quiet', { 'shoehorn.dev/gitops-notifications': 'disabled' }),
];

/** One backend replica with the real notifications backend beside the gitops plugin. */
function startReplica(
  knex: Knex,
  notificationsKnex: Knex,
  clock: ManualClock,
  notifications: Record<string, unknown> = {},
) {
  return startGitOpsBackend({
    knex,
    pluginDatabases: { notifications: notificationsKnex },
    entities: ENTITIES,
    clock,
    config: {
      app: { baseUrl: 'http://localhost:3000' },
      gitops: {
        agents: Object.values(AGENTS),
        commands: { pollInterval: '100ms' },
        notifications,
      },
    },
    features: [notificationsPlugin as any],
  });
}

/** The cluster-a agent: pushes deltas, and heartbeats while the test moves time. */
function agentOf(backend: GitOpsTestBackend) {
  let seq = 1;
  const push = async (upserts: GitOpsResource[]) => {
    const res = await backend.push(
      AGENTS.a,
      makePush({ type: seq === 1 ? 'snapshot' : 'delta', seq, upserts }),
    );
    seq += 1;
    expect(res.status).toBe(200);
  };
  return {
    push,
    /** Moves time on; the agent stays connected. */
    async wait(ms: number) {
      backend.clock.advance(ms);
      await push([]);
    },
  };
}

async function inbox(backend: GitOpsTestBackend, user = ALICE) {
  const res = await request(backend.server)
    .get('/api/notifications/notifications')
    .set('Authorization', userHeader(user));
  expect(res.status).toBe(200);
  return res.body.notifications as Array<{
    id: string;
    payload: {
      title: string;
      description?: string;
      severity: string;
      link?: string;
      topic?: string;
      scope?: string;
    };
  }>;
}

/** Notifications actually written by the notifications backend (new or replacing). */
const sends = (...backends: GitOpsTestBackend[]) =>
  backends
    .flatMap(b => b.signals)
    .filter(s => (s as any).action === 'new_notification').length;

const check = (backend: GitOpsTestBackend) =>
  backend.scheduler.triggerTask(OWNER_ALERTS_TASK);

const degraded = (name: string) =>
  makeResource(name, {
    healthStatus: 'Degraded',
    message: `Deployment ${name}: ImagePullBackOff`,
  });

describe('notifications', () => {
  const databases = createTestDatabases();

  async function setup(
    databaseId: Parameters<typeof databases.init>[0],
    notifications?: Record<string, unknown>,
  ) {
    const backend = await startReplica(
      await databases.init(databaseId),
      await databases.init(databaseId),
      new ManualClock(),
      notifications,
    );
    return { backend, agent: agentOf(backend) };
  }

  it.each(databases.eachSupportedId())(
    'a Degraded resource past the debounce notifies its owner once; recovery resolves it, %p',
    async databaseId => {
      const { backend, agent } = await setup(databaseId);
      await agent.push([degraded('web')]);
      await check(backend);
      await agent.wait(4 * MINUTE);
      await check(backend);
      expect(await inbox(backend)).toEqual([]);

      await agent.wait(2 * MINUTE);
      await check(backend);
      await check(backend);
      const [raised, ...more] = await inbox(backend);
      expect(more).toEqual([]);
      expect(raised.payload).toMatchObject({
        title: 'web on cluster-a is Degraded',
        description: 'Deployment web: ImagePullBackOff',
        severity: 'high',
        link: '/catalog/default/component/web/operations',
        topic: 'GitOps',
      });
      expect(sends(backend)).toBe(1);

      await agent.push([makeResource('web')]);
      await check(backend);
      expect((await inbox(backend))[0].payload.title).toMatch(/Degraded/);
      await agent.wait(6 * MINUTE);
      await check(backend);
      const [resolved, ...others] = await inbox(backend);
      expect(others).toEqual([]);
      expect(resolved.id).toBe(raised.id);
      expect(resolved.payload).toMatchObject({
        title: 'Resolved: web on cluster-a is Healthy and Synced',
        severity: 'low',
      });
      expect(sends(backend)).toBe(2);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'a flap shorter than the debounce notifies nobody, %p',
    async databaseId => {
      const { backend, agent } = await setup(databaseId);
      await agent.push([degraded('web')]);
      await check(backend);
      await agent.wait(2 * MINUTE);
      await check(backend);
      await agent.push([makeResource('web')]);
      await check(backend);
      await agent.wait(10 * MINUTE);
      await check(backend);
      expect(await inbox(backend)).toEqual([]);
      expect(sends(backend)).toBe(0);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'OutOfSync longer than the threshold notifies; a disconnected cluster updates the same notification, %p',
    async databaseId => {
      const { backend, agent } = await setup(databaseId);
      await agent.push([
        makeResource('web', {
          syncStatus: 'OutOfSync',
          drift: { detected: true, reason: 'Deployment web differs from Git' },
        }),
      ]);
      await check(backend);
      await agent.wait(29 * MINUTE);
      await check(backend);
      expect(await inbox(backend)).toEqual([]);

      await agent.wait(2 * MINUTE);
      await check(backend);
      const [outOfSync] = await inbox(backend);
      expect(outOfSync.payload).toMatchObject({
        title: 'web on cluster-a has been OutOfSync for over 30 minutes',
        description: 'Deployment web differs from Git',
        severity: 'normal',
      });

      // No heartbeat for 16 minutes: the cluster is disconnected.
      backend.clock.advance(16 * MINUTE);
      await check(backend);
      const [disconnected, ...more] = await inbox(backend);
      expect(more).toEqual([]);
      expect(disconnected.id).toBe(outOfSync.id);
      expect(disconnected.payload).toMatchObject({
        title: 'cluster-a is disconnected: the status of web is out of date',
        severity: 'high',
      });
      expect(sends(backend)).toBe(2);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'an entity annotated shoehorn.dev/gitops-notifications: disabled is not notified, %p',
    async databaseId => {
      const { backend, agent } = await setup(databaseId);
      await agent.push([degraded('web'), degraded('quiet')]);
      await check(backend);
      await agent.wait(6 * MINUTE);
      await check(backend);
      expect((await inbox(backend)).map(n => n.payload.title)).toEqual([
        'web on cluster-a is Degraded',
      ]);
      await backend.stop();
    },
  );

  /** Alice requests a Sync of web; the agent takes it and reports a failure. */
  async function failedSync(
    backend: GitOpsTestBackend,
    agent: ReturnType<typeof agentOf>,
  ) {
    // Linked by annotation: a name match alone does not allow commands.
    await agent.push([makeResource('web', { entityAnnotation: 'web' })]);
    const id = (await backend.list()).items[0].id;
    const queued = await backend.post(`/v1/resources/${id}/commands`, {
      type: 'sync',
    });
    expect(queued.status).toBe(201);
    const polled = await request(backend.server)
      .get('/api/gitops/agent/v1/commands?wait=0')
      .set('Authorization', agentHeader(AGENTS.a.subject));
    expect(polled.body.items).toHaveLength(1);
    const result = await request(backend.server)
      .post(`/api/gitops/agent/v1/commands/${queued.body.id}/result`)
      .set('Authorization', agentHeader(AGENTS.a.subject))
      .send({ status: 'failed', message: 'sync hook job failed' });
    expect(result.status).toBe(200);
  }

  const scheduledTasks = async (backend: GitOpsTestBackend) =>
    (await backend.scheduler.getScheduledTasks()).map(t => t.id);

  it.each(databases.eachSupportedId())(
    'the requester of a Sync gets its result, %p',
    async databaseId => {
      const { backend, agent } = await setup(databaseId);
      await failedSync(backend, agent);
      const [notification, ...more] = await inbox(backend);
      expect(more).toEqual([]);
      expect(notification.payload).toMatchObject({
        title: 'Sync of web on cluster-a failed',
        description: 'sync hook job failed',
        severity: 'high',
        link: '/catalog/default/component/web/operations',
      });
      expect(await inbox(backend, 'user:default/bob')).toEqual([]);
      expect(await scheduledTasks(backend)).toContain(OWNER_ALERTS_TASK);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'switched off, nobody is notified and no check is scheduled, %p',
    async databaseId => {
      const { backend, agent } = await setup(databaseId, { enabled: false });
      await failedSync(backend, agent);
      expect(await inbox(backend)).toEqual([]);
      expect(await scheduledTasks(backend)).not.toContain(OWNER_ALERTS_TASK);
      await backend.stop();
    },
  );

  it('two replicas on one PostgreSQL send each transition once', async () => {
    const knex = await databases.init('POSTGRES_15');
    const notificationsKnex = await databases.init('POSTGRES_15');
    const clock = new ManualClock();
    const one = await startReplica(knex, notificationsKnex, clock);
    const two = await startReplica(knex, notificationsKnex, clock);
    const agent = agentOf(one);
    const checkBoth = () => Promise.all([check(one), check(two)]);

    await agent.push([degraded('web')]);
    await checkBoth();
    await agent.wait(6 * MINUTE);
    await checkBoth();
    await checkBoth();
    expect((await inbox(two)).map(n => n.payload.title)).toEqual([
      'web on cluster-a is Degraded',
    ]);
    expect(sends(one, two)).toBe(1);

    await agent.push([makeResource('web')]);
    await checkBoth();
    await agent.wait(6 * MINUTE);
    await checkBoth();
    expect((await inbox(one)).map(n => n.payload.title)).toEqual([
      'Resolved: web on cluster-a is Healthy and Synced',
    ]);
    expect(sends(one, two)).toBe(2);
    await one.stop();
    await two.stop();
  });
});
