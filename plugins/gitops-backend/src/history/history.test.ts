import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  DeliveryMetricsResponse,
  DeploymentView,
  GitOpsResource,
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
import { PRUNE_TASK } from '../service/tasks';

jest.setTimeout(180_000);

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

const owned = (name: string, group: string): Entity => ({
  ...component(name),
  spec: { owner: group },
  relations: [{ type: 'ownedBy', targetRef: `group:default/${group}` }],
});

const entities = [owned('web', 'team-a'), owned('other', 'team-b')];

/** Pushes one snapshot of `web` (in whatever state) after advancing the clock. */
async function observe(
  backend: GitOpsTestBackend,
  seq: number,
  afterMs: number,
  state: Partial<GitOpsResource>,
) {
  backend.clock.advance(afterMs);
  const res = await backend.push(
    AGENTS.a,
    makePush({
      seq,
      upserts: [
        makeResource('web', {
          entityAnnotation: 'component:default/web',
          ...state,
        }),
      ],
    }),
  );
  expect(res.status).toBe(200);
}

/** A deploy of r2 that goes Degraded, rolled back to r1 two hours later, then r3 under another entity. */
async function rollbackThenRelink(backend: GitOpsTestBackend) {
  await observe(backend, 1, 0, { revision: 'r1', targetRevision: 'r1' });
  await observe(backend, 2, HOUR, {
    syncStatus: 'OutOfSync',
    healthStatus: 'Progressing',
    revision: 'r1',
    targetRevision: 'r2',
  });
  await observe(backend, 3, HOUR / 2, {
    healthStatus: 'Degraded',
    revision: 'r2',
    targetRevision: 'r2',
  });
  await observe(backend, 4, 2 * HOUR, { revision: 'r1', targetRevision: 'r1' });
  await observe(backend, 5, HOUR, {
    revision: 'r3',
    targetRevision: 'r3',
    entityAnnotation: 'component:default/other',
  });
}

const brief = (d: DeploymentView) =>
  `${d.entityRef} ${d.fromRevision}->${d.toRevision} ${d.outcome}`;

describe('deployment history', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'records each revision change with its outcome, per resource and per entity at the time, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({ knex, entities });
      await rollbackThenRelink(backend);
      const [web] = (await backend.list()).items;

      const perResource = await backend.get(
        `/v1/resources/${web.id}/deployments`,
      );
      expect(perResource.status).toBe(200);
      expect(perResource.body.items.map(brief)).toEqual([
        'component:default/other r1->r3 succeeded',
        'component:default/web r2->r1 succeeded',
        'component:default/web r1->r2 degraded',
      ]);
      const degraded = perResource.body.items[2] as DeploymentView;
      expect(degraded).toMatchObject({
        cluster: 'cluster-a',
        kind: 'Application',
        name: 'web',
        sourceUrl: 'https://git.example.com/org/web.git',
        startedAt: '2025-06-01T13:00:00.000Z',
        endedAt: '2025-06-01T13:30:00.000Z',
      });

      const perEntity = await backend.get(
        '/v1/entities/component/default/web/deployments?limit=1',
      );
      expect(perEntity.body.items.map(brief)).toEqual([
        'component:default/web r2->r1 succeeded',
      ]);
      const other = await backend.get(
        '/v1/entities/Component/default/other/deployments',
      );
      expect(other.body.items.map(brief)).toEqual([
        'component:default/other r1->r3 succeeded',
      ]);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'computes the metrics of an entity and of the group that owns it, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({ knex, entities });
      await rollbackThenRelink(backend);

      const res = await backend.get(
        '/v1/entities/component/default/web/metrics',
      );
      expect(res.status).toBe(200);
      const metrics = res.body as DeliveryMetricsResponse;
      expect(metrics.windows.map(w => w.windowDays)).toEqual([7, 30, 90]);
      expect(metrics.windows[0]).toEqual({
        windowDays: 7,
        deployments: 2,
        deploymentsPerDay: 2 / 7,
        failedDeployments: 1,
        changeFailureRate: 0.5,
        restores: 1,
        meanTimeToRestoreMs: 2 * HOUR,
        outOfSyncMs: HOUR / 2,
      });
      expect(metrics.daily[29]).toEqual({
        day: '2025-06-01',
        deployments: 2,
        failed: 1,
      });

      const team = await backend.get('/v1/groups/default/team-a/metrics');
      expect(team.status).toBe(200);
      expect(team.body.groupRef).toBe('group:default/team-a');
      expect(team.body.entityRefs).toEqual(['component:default/web']);
      expect(team.body.windows[0].deployments).toBe(2);
      const teamB = await backend.get('/v1/groups/default/team-b/metrics');
      expect(teamB.body.windows[0]).toMatchObject({
        deployments: 1,
        failedDeployments: 0,
      });

      // A week later the 7-day window is empty, the 30-day one still holds both.
      backend.clock.advance(8 * DAY);
      const later = await backend.get(
        '/v1/entities/component/default/web/metrics',
      );
      expect(
        later.body.windows.map((w: { deployments: number }) => w.deployments),
      ).toEqual([0, 2, 2]);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'the scheduled prune drops history older than gitops.history.retention, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({
        knex,
        entities,
        config: {
          gitops: {
            agents: Object.values(AGENTS),
            history: { retention: { days: 2 } },
          },
        },
      });
      await rollbackThenRelink(backend);
      backend.clock.advance(DAY);
      await observe(backend, 6, 0, { revision: 'r4', targetRevision: 'r4' });
      backend.clock.advance(DAY + HOUR);
      await backend.scheduler.triggerTask(PRUNE_TASK);
      const [web] = (await backend.list()).items;
      const res = await backend.get(`/v1/resources/${web.id}/deployments`);
      expect(res.body.items.map(brief)).toEqual([
        'component:default/web r3->r4 succeeded',
      ]);
      // The Degraded and OutOfSync spans of the first day ended before the cutoff.
      const [{ n }] = await knex('gitops_episodes').count({ n: '*' });
      expect(Number(n)).toBe(0);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a bad limit with a 400 naming it, and checks the read permission, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({ knex, entities });
      await rollbackThenRelink(backend);
      const [web] = (await backend.list()).items;
      for (const limit of ['0', 'many', '100000']) {
        const res = await backend.get(
          `/v1/resources/${web.id}/deployments?limit=${limit}`,
        );
        expect([limit, res.status]).toEqual([limit, 400]);
        expect(res.body.error.message).toMatch(/limit/);
      }
      expect((await backend.get('/v1/resources/nope/deployments')).status).toBe(
        404,
      );
      await backend.stop();

      const denied = await startGitOpsBackend({
        knex,
        entities,
        permissions: mockServices.permissions.factory({
          result: AuthorizeResult.DENY,
        }),
      });
      for (const path of [
        `/v1/resources/${web.id}/deployments`,
        '/v1/entities/component/default/web/deployments',
        '/v1/entities/component/default/web/metrics',
        '/v1/groups/default/team-a/metrics',
      ]) {
        expect([path, (await denied.get(path)).status]).toEqual([path, 403]);
      }
      await denied.stop();
    },
  );
});
