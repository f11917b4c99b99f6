/*
 * Item 3, stats: GET /v1/stats at 100k stored resources, uncached (right after a push
 * invalidated the tenant's stats) and cached, beside the store's status-count query.
 */
import { randomUUID } from 'node:crypto';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import { ResourceQueryStore } from '../plugins/gitops-backend/src/database/ResourceQueryStore';
import { EntityIndex } from '../plugins/gitops-backend/src/linking/EntityIndex';
import {
  StatsCache,
  statsFromCounts,
} from '../plugins/gitops-backend/src/service/StatsCache';
import { catalogEntities, Engine, startBenchBackend } from './lib/backend';
import { agentInfo } from './lib/fleet';
import { FLEET_CLUSTERS, registerClusters, seedResources } from './lib/seed';
import { parseOptions, percentile, Report, runMain, timed } from './lib/report';

async function benchEngine(engine: Engine, report: Report) {
  const short = report.options.short;
  const size = short ? 2000 : 100_000;
  const times = short ? 10 : 50;
  const label = `${size / 1000}k`;
  const entities = catalogEntities(1000);
  const backend = await startBenchBackend({
    engine,
    clusters: FLEET_CLUSTERS,
    entities,
  });
  try {
    const { knex } = backend;
    await registerClusters(backend);
    await seedResources(knex, EntityIndex.fromEntities(entities), 0, size);
    const store = new ResourceQueryStore(knex);
    const agent = backend.agent(FLEET_CLUSTERS[0]);
    const session = randomUUID();

    await report.attempt(engine, `stats at ${label}`, async () => {
      const first = await backend.getJson('/v1/stats');
      if (first.total !== size)
        throw new Error(`stats.total is ${first.total}, expected ${size}`);
      const uncached: number[] = [];
      const cached: number[] = [];
      const counts: number[] = [];
      for (let i = 0; i < times; i++) {
        // An empty delta is a push like any other: it invalidates the tenant's cached stats.
        await backend.push(agent, {
          agent: agentInfo(session),
          seq: i + 1,
          type: 'delta',
          upserts: [],
          deletes: [],
        });
        uncached.push((await timed(() => backend.getJson('/v1/stats'))).ms);
        cached.push((await timed(() => backend.getJson('/v1/stats'))).ms);
        counts.push((await timed(() => store.statusCounts('default'))).ms);
      }
      report.add({
        engine,
        name: `stats at ${label}, uncached: API p50`,
        value: percentile(uncached, 50),
        unit: 'ms',
      });
      report.add({
        engine,
        name: `stats at ${label}, uncached: API p95`,
        value: percentile(uncached, 95),
        unit: 'ms',
        goal: '< 100 ms',
        met: percentile(uncached, 95) < 100,
      });
      report.add({
        engine,
        name: `stats at ${label}, cached: API p50`,
        value: percentile(cached, 50),
        unit: 'ms',
      });
      report.add({
        engine,
        name: `stats at ${label}, cached: API p95`,
        value: percentile(cached, 95),
        unit: 'ms',
        goal: '< 2 ms',
        met: percentile(cached, 95) < 2,
      });
      report.add({
        engine,
        name: `stats at ${label}: status-count query alone p50`,
        value: percentile(counts, 50),
        unit: 'ms',
      });
    });

    // What a cached answer costs beyond the cache: HTTP alone, then HTTP with the user's
    // token checked and one permission decision (the cheapest permission-checked route).
    await report.attempt(engine, 'request floor', async () => {
      const health: number[] = [];
      const clusters: number[] = [];
      for (let i = 0; i < times; i++) {
        health.push(
          (
            await timed(() =>
              fetch(`${backend.baseUrl}/api/gitops/health`).then(r => r.json()),
            )
          ).ms,
        );
        clusters.push((await timed(() => backend.getJson('/v1/clusters'))).ms);
      }
      report.add({
        engine,
        name: 'floor: GET /health (HTTP only) p50',
        value: percentile(health, 50),
        unit: 'ms',
      });
      report.add({
        engine,
        name: 'floor: GET /v1/clusters (token + permission check) p50',
        value: percentile(clusters, 50),
        unit: 'ms',
      });
    });

    // The cache itself, in-process: the plugin's StatsCache over the default (memory) cache.
    await report.attempt(engine, 'StatsCache hit in-process', async () => {
      const cache = CacheManager.fromConfig(new ConfigReader({})).forPlugin(
        'gitops',
      );
      const statsCache = new StatsCache(cache, async tenant =>
        statsFromCounts(await store.statusCounts(tenant), Date.now()),
      );
      await statsCache.get('default');
      const hits: number[] = [];
      for (let i = 0; i < times * 10; i++)
        hits.push((await timed(() => statsCache.get('default'))).ms);
      report.add({
        engine,
        name: `StatsCache.get hit (memory cache, in-process) p95`,
        value: percentile(hits, 95),
        unit: 'ms',
        goal: '< 2 ms',
        met: percentile(hits, 95) < 2,
      });
    });
  } finally {
    await backend.stop();
  }
}

export async function benchStats(options = parseOptions()) {
  const report = new Report('stats', options);
  for (const engine of options.engines) await benchEngine(engine, report);
  return report.finish();
}

if (require.main === module) runMain(async () => void (await benchStats()));
