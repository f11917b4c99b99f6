/*
 * Item 19, history: GET /v1/entities/.../metrics for an entity with 10k deployments spread
 * over the 90-day window (with a Degraded and an OutOfSync span for every tenth), and the
 * per-resource deployment list beside it.
 */
import { catalogEntities, Engine, startBenchBackend } from './lib/backend';
import { FLEET_CLUSTERS, registerClusters } from './lib/seed';
import { parseOptions, percentile, Report, runMain, timed } from './lib/report';

const DAY_MS = 24 * 60 * 60 * 1000;
const ENTITY = 'component:default/svc-0';
/** Deployments spread over this many resources of the entity. */
const RESOURCES = 20;

async function benchEngine(engine: Engine, report: Report) {
  const short = report.options.short;
  const size = short ? 1000 : 10_000;
  const times = short ? 10 : 50;
  const label = `${size / 1000}k`;
  const backend = await startBenchBackend({
    engine,
    clusters: FLEET_CLUSTERS,
    entities: catalogEntities(10),
  });
  try {
    const { knex } = backend;
    await registerClusters(backend);
    const now = Date.now();
    const step = (90 * DAY_MS) / size;
    const deployments = Array.from({ length: size }, (_, i) => {
      const startedAt = Math.round(now - 90 * DAY_MS + i * step);
      return {
        tenant: 'default',
        resource_id: `res-${i % RESOURCES}`,
        cluster: FLEET_CLUSTERS[0],
        kind: 'Application',
        namespace: 'argocd',
        name: `svc-0-${i % RESOURCES}`,
        entity_ref: ENTITY,
        source_url: 'https://git.example.com/org/svc-0.git',
        from_revision: `rev-${i - 1}`,
        to_revision: `rev-${i}`,
        started_at: startedAt,
        ended_at: startedAt + 60_000,
        outcome: i % 10 === 0 ? 'degraded' : 'succeeded',
      };
    });
    const episodes = deployments
      .filter((_, i) => i % 10 === 0)
      .flatMap(d => [
        {
          tenant: 'default',
          resource_id: d.resource_id,
          entity_ref: ENTITY,
          kind: 'degraded',
          started_at: d.started_at + 60_000,
          ended_at: d.started_at + 600_000,
        },
        {
          tenant: 'default',
          resource_id: d.resource_id,
          entity_ref: ENTITY,
          kind: 'outOfSync',
          started_at: d.started_at,
          ended_at: d.started_at + 60_000,
        },
      ]);
    for (let i = 0; i < deployments.length; i += 50)
      await knex('gitops_deployments').insert(deployments.slice(i, i + 50));
    for (let i = 0; i < episodes.length; i += 100)
      await knex('gitops_episodes').insert(episodes.slice(i, i + 100));
    if (engine === 'pg') await knex.raw('analyze');

    await report.attempt(engine, `metrics at ${label}`, async () => {
      const first = await backend.getJson(
        '/v1/entities/component/default/svc-0/metrics',
      );
      if (first.windows[2].deployments < size * 0.99)
        throw new Error(
          `90-day deployments are ${first.windows[2].deployments}, expected about ${size}`,
        );
      const metrics: number[] = [];
      const lists: number[] = [];
      for (let i = 0; i < times; i++) {
        metrics.push(
          (
            await timed(() =>
              backend.getJson('/v1/entities/component/default/svc-0/metrics'),
            )
          ).ms,
        );
        lists.push(
          (
            await timed(() =>
              backend.getJson(
                '/v1/entities/component/default/svc-0/deployments',
              ),
            )
          ).ms,
        );
      }
      report.add({
        engine,
        name: `history: metrics for an entity with ${label} deployments, p95`,
        value: percentile(metrics, 95),
        unit: 'ms',
        goal: '< 100 ms',
        met: percentile(metrics, 95) < 100,
      });
      report.add({
        engine,
        name: `history: newest 100 deployments of that entity, p95`,
        value: percentile(lists, 95),
        unit: 'ms',
      });
    });
  } finally {
    await backend.stop();
  }
}

export async function benchHistory(options = parseOptions()) {
  const report = new Report('history', options);
  for (const engine of options.engines) await benchEngine(engine, report);
  return report.finish();
}

if (require.main === module) runMain(async () => void (await benchHistory()));
