/*
 * Item 2, fleet list: a filtered, sorted page of 50 at 1k, 10k and 100k stored resources
 * through GET /v1/resources (user token, permission check, rendering), beside the store
 * call and the raw SQL the store issues, to show what each layer adds.
 */
import type { Knex } from 'knex';
import { ResourceQueryStore } from '../plugins/gitops-backend/src/database/ResourceQueryStore';
import {
  applyResourceFilter,
  applySortAndCursor,
} from '../plugins/gitops-backend/src/database/resourceQuery';
import { EntityIndex } from '../plugins/gitops-backend/src/linking/EntityIndex';
import { parseResourcePage } from '../plugins/gitops-backend/src/service/resourceQueryParams';
import { catalogEntities, Engine, startBenchBackend } from './lib/backend';
import { FLEET_CLUSTERS, registerClusters, seedResources } from './lib/seed';
import { parseOptions, percentile, Report, runMain, timed } from './lib/report';

/** The page the GitOps page asks for when a user filters on a status and sorts by last sync. */
export const HEADLINE_QUERY =
  'syncStatus=OutOfSync&sort=-lastSyncedAt&limit=50';
const OTHER_QUERIES: Record<string, string> = {
  'first page by name': 'sort=name&limit=50',
  'cluster + health filter':
    'cluster=fleet-3&healthStatus=Degraded&sort=name&limit=50',
  'search q': 'q=team-7%2F&sort=name&limit=50',
};

function queryObject(query: string): Record<string, unknown> {
  const params = new URLSearchParams(query);
  const result: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    result[key] = values.length > 1 ? values : values[0];
  }
  return result;
}

/** The two statements ResourceQueryStore.list runs, as SQL text and bindings. */
function storeStatements(knex: Knex, query: string) {
  const page = parseResourcePage(queryObject(query));
  const rows = applySortAndCursor(
    applyResourceFilter(
      knex('gitops_resources').select('*'),
      'default',
      page.filter,
    ),
    page.sort,
    page.cursor,
  )
    .limit(page.limit + 1)
    .toSQL();
  const count = applyResourceFilter(
    knex('gitops_resources'),
    'default',
    page.filter,
  )
    .count({ count: '*' })
    .first()
    .toSQL();
  return { page, rows, count };
}

async function sample(times: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(5, times); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < times; i++) samples.push((await timed(fn)).ms);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

async function benchEngine(engine: Engine, report: Report) {
  const short = report.options.short;
  const sizes = short ? [100, 1000] : [1000, 10_000, 100_000];
  const times = short ? 20 : 200;
  const entities = catalogEntities(1000);
  const index = EntityIndex.fromEntities(entities);
  const backend = await startBenchBackend({
    engine,
    clusters: FLEET_CLUSTERS,
    entities,
  });
  try {
    const { knex } = backend;
    const store = new ResourceQueryStore(knex);
    await registerClusters(backend);
    const headline: Record<number, number> = {};
    let stored = 0;
    for (const size of sizes) {
      await seedResources(knex, index, stored, size);
      stored = size;
      const label = size >= 1000 ? `${size / 1000}k` : String(size);
      const queries: Array<[string, string]> = [
        ['filtered+sorted', HEADLINE_QUERY],
        ...Object.entries(OTHER_QUERIES),
      ];
      for (const [name, query] of queries) {
        const isHeadline = query === HEADLINE_QUERY;
        if (!isHeadline && short) continue;
        await report.attempt(engine, `${name} at ${label}`, async () => {
          const first = await backend.getJson(`/v1/resources?${query}`);
          if (!Array.isArray(first.items) || first.items.length === 0) {
            throw new Error(`the query ${query} returned no items at ${label}`);
          }
          const { page, rows, count } = storeStatements(knex, query);
          const api = await sample(times, () =>
            backend.getJson(`/v1/resources?${query}`),
          );
          const storeCall = await sample(times, () =>
            store.list('default', page),
          );
          const raw = await sample(times, () =>
            Promise.all([
              knex.raw(rows.sql, rows.bindings),
              knex.raw(count.sql, count.bindings),
            ]),
          );
          const prefix = `${name} page of 50 at ${label}`;
          if (isHeadline) {
            headline[size] = api.p95;
            const goal =
              engine === 'pg' ? { goal: '< 50 ms', met: api.p95 < 50 } : {};
            report.add({
              engine,
              name: `${prefix}: API p50`,
              value: api.p50,
              unit: 'ms',
            });
            report.add({
              engine,
              name: `${prefix}: API p95`,
              value: api.p95,
              unit: 'ms',
              ...goal,
            });
            report.add({
              engine,
              name: `${prefix}: store call p50 / p95`,
              value: storeCall.p50,
              unit: 'ms',
              note: `p95 ${storeCall.p95.toFixed(2)} ms`,
            });
            report.add({
              engine,
              name: `${prefix}: raw SQL (page + count) p50`,
              value: raw.p50,
              unit: 'ms',
            });
            report.add({
              engine,
              name: `${prefix}: raw SQL (page + count) p95`,
              value: raw.p95,
              unit: 'ms',
            });
          } else {
            report.add({
              engine,
              name: `${prefix}: API p95 (raw SQL p95 ${raw.p95.toFixed(1)} ms)`,
              value: api.p95,
              unit: 'ms',
            });
          }
        });
      }
    }
    const [smallest, largest] = [sizes[0], sizes[sizes.length - 1]];
    if (headline[smallest] && headline[largest]) {
      const ratio = headline[largest] / headline[smallest];
      const goal =
        engine === 'pg' && !short ? { goal: '<= 3x', met: ratio <= 3 } : {};
      report.add({
        engine,
        name: `filtered+sorted API p95 ratio ${largest / 1000}k/${
          smallest >= 1000 ? `${smallest / 1000}k` : smallest
        }`,
        value: ratio,
        unit: 'x',
        ...goal,
      });
    }
  } finally {
    await backend.stop();
  }
}

export async function benchList(options = parseOptions()) {
  const report = new Report('list', options);
  for (const engine of options.engines) await benchEngine(engine, report);
  return report.finish();
}

if (require.main === module) runMain(async () => void (await benchList()));
