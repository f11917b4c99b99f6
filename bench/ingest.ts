/*
 * Item 1, ingest: a snapshot through the push route (HTTP, static token, validation,
 * linking, history) against a raw knex batch upsert of the same rows into the same table,
 * on SQLite and PostgreSQL. Also a large snapshot in parts and small deltas.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type {
  GitOpsResource,
  PushRequest,
} from '@shoehorn/plugin-gitops-common';
import { IngestStore } from '../plugins/gitops-backend/src/database/IngestStore';
import { EntityIndex } from '../plugins/gitops-backend/src/linking/EntityIndex';
import {
  MUTABLE_RESOURCE_COLUMNS,
  RESOURCE_KEY_COLUMNS,
  resourceToRow,
  type ResourceRow,
} from '../plugins/gitops-backend/src/database/resourceRows';
import {
  catalogEntities,
  Engine,
  startBenchBackend,
  type BenchBackend,
} from './lib/backend';
import { agentInfo, fleet, snapshotPushes } from './lib/fleet';
import {
  median,
  parseOptions,
  percentile,
  Report,
  runMain,
  timed,
} from './lib/report';

const CLUSTER = 'bench-ingest';
// Rows per statement: the store's own size on PostgreSQL; on SQLite knex compiles a multi-row
// insert into a compound SELECT, which SQLite caps at 500 terms.
const chunkOf = (knex: Knex) =>
  knex.client.config.client === 'pg' ? 1000 : 500;

function rowsOf(
  resources: GitOpsResource[],
  index: EntityIndex,
  now: number,
): ResourceRow[] {
  return resources.map(resource =>
    resourceToRow(
      {
        id: randomUUID(),
        tenant: 'default',
        cluster: CLUSTER,
        observedAt: now,
      },
      resource,
      index.resolve(resource, undefined),
    ),
  );
}

async function rawUpsert(knex: Knex, rows: ResourceRow[]) {
  await knex.transaction(async tx => {
    const chunk = chunkOf(knex);
    for (let i = 0; i < rows.length; i += chunk) {
      await tx('gitops_resources')
        .insert(rows.slice(i, i + chunk))
        .onConflict([...RESOURCE_KEY_COLUMNS])
        .merge([...MUTABLE_RESOURCE_COLUMNS]);
    }
  });
}

async function clear(knex: Knex) {
  await knex('gitops_resources').delete();
  await knex('gitops_status_history').delete();
  await knex('gitops_snapshot_parts').delete();
  if (knex.client.config.client === 'pg') {
    await knex.raw('vacuum analyze gitops_resources, gitops_status_history');
  }
}

async function pushAll(backend: BenchBackend, pushes: PushRequest[]) {
  const agent = backend.agent(CLUSTER);
  let applied = 0;
  for (const body of pushes)
    applied += (await backend.push(agent, body)).applied;
  return applied;
}

async function countRows(knex: Knex): Promise<number> {
  const row = await knex('gitops_resources')
    .where({ cluster: CLUSTER })
    .count({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

async function benchEngine(engine: Engine, report: Report) {
  const short = report.options.short;
  const size = short ? 1000 : 10_000;
  const bigSize = short ? 20_000 : 100_000;
  const runs = short ? 2 : 5;
  const deltas = short ? 10 : 50;
  const entities = catalogEntities(1000);
  const index = EntityIndex.fromEntities(entities);
  const backend = await startBenchBackend({
    engine,
    clusters: [CLUSTER],
    entities,
  });
  const { knex } = backend;
  const label = `${size / 1000}k`;
  const bigLabel = `${bigSize / 1000}k`;
  const resources = fleet(size);
  const rows = rowsOf(resources, index, Date.now());
  let generation = 1;
  try {
    // Cold: an empty table each time; raw and push runs interleaved so load drift hits both.
    await report.attempt(
      engine,
      `${label} snapshot into an empty table`,
      async () => {
        const rawCold: number[] = [];
        const pushCold: number[] = [];
        for (let r = 0; r < runs; r++) {
          await clear(knex);
          rawCold.push((await timed(() => rawUpsert(knex, rows))).ms);
          await clear(knex);
          const pushes = snapshotPushes(randomUUID(), 1, resources);
          pushCold.push((await timed(() => pushAll(backend, pushes))).ms);
          if ((await countRows(knex)) !== size)
            throw new Error('push did not store every resource');
        }
        // The store alone (no HTTP, JSON, schema validation): where the route's overhead lies.
        const store = new IngestStore(knex);
        const identity = {
          subject: backend.agent(CLUSTER).subject,
          tenant: 'default',
          cluster: CLUSTER,
        };
        const storeCold: number[] = [];
        for (let r = 0; r < runs; r++) {
          await clear(knex);
          const [body] = snapshotPushes(randomUUID(), 1, resources);
          storeCold.push(
            (
              await timed(() =>
                store.applyPush(identity, body, {
                  now: Date.now(),
                  resolveLink: (resource, manual) =>
                    index.resolve(resource, manual),
                }),
              )
            ).ms,
          );
        }
        const ratio = median(pushCold) / median(rawCold);
        report.add({
          engine,
          name: `${label} snapshot, empty table: push route (median of ${runs})`,
          value: median(pushCold),
          unit: 'ms',
        });
        report.add({
          engine,
          name: `${label} snapshot, empty table: store.applyPush alone`,
          value: median(storeCold),
          unit: 'ms',
        });
        report.add({
          engine,
          name: `${label} rows, empty table: raw knex batch upsert`,
          value: median(rawCold),
          unit: 'ms',
        });
        report.add({
          engine,
          name: `${label} ingest ratio push/raw, empty table`,
          value: ratio,
          unit: 'x',
          goal: '<= 1.5x',
          met: ratio <= 1.5,
        });
      },
    );

    // Changed: every row exists and every row's revision changed (the worst periodic snapshot).
    await report.attempt(
      engine,
      `${label} snapshot, every row changed`,
      async () => {
        await clear(knex);
        await pushAll(backend, snapshotPushes(randomUUID(), 1, resources));
        const rawChanged: number[] = [];
        const pushChanged: number[] = [];
        for (let r = 0; r < runs; r++) {
          const changedRows = rowsOf(
            fleet(size, generation++),
            index,
            Date.now(),
          );
          rawChanged.push((await timed(() => rawUpsert(knex, changedRows))).ms);
          const pushes = snapshotPushes(
            randomUUID(),
            1,
            fleet(size, generation++),
          );
          pushChanged.push((await timed(() => pushAll(backend, pushes))).ms);
        }
        const ratio = median(pushChanged) / median(rawChanged);
        report.add({
          engine,
          name: `${label} snapshot, every row changed: push route`,
          value: median(pushChanged),
          unit: 'ms',
        });
        report.add({
          engine,
          name: `${label} rows, every row changed: raw knex batch upsert`,
          value: median(rawChanged),
          unit: 'ms',
        });
        report.add({
          engine,
          name: `${label} ingest ratio push/raw, every row changed`,
          value: ratio,
          unit: 'x',
          goal: '<= 1.5x',
          met: ratio <= 1.5,
        });
      },
    );

    // Unchanged: the periodic snapshot of a quiet cluster (content hashes match, nothing rewritten).
    await report.attempt(
      engine,
      `${label} snapshot, nothing changed`,
      async () => {
        const current = fleet(size, 0);
        await clear(knex);
        await pushAll(backend, snapshotPushes(randomUUID(), 1, current));
        const unchanged: number[] = [];
        for (let r = 0; r < runs; r++) {
          const pushes = snapshotPushes(randomUUID(), 1, current);
          unchanged.push((await timed(() => pushAll(backend, pushes))).ms);
        }
        report.add({
          engine,
          name: `${label} snapshot, nothing changed: push route`,
          value: median(unchanged),
          unit: 'ms',
        });
      },
    );

    // A large snapshot in parts, into an empty table; and the raw upsert of the same rows.
    const big = fleet(bigSize);
    await report.attempt(engine, `${bigLabel} snapshot in parts`, async () => {
      await clear(knex);
      const bigPushes = snapshotPushes(randomUUID(), 1, big);
      const bigPush = await timed(() => pushAll(backend, bigPushes));
      if ((await countRows(knex)) !== bigSize)
        throw new Error('the snapshot in parts was not applied');
      report.add({
        engine,
        name: `${bigLabel} snapshot in ${bigPushes.length} parts, empty table: push route`,
        value: bigPush.ms / 1000,
        unit: 's',
      });
      report.add({
        engine,
        name: `${bigLabel} snapshot in parts: resources per second`,
        value: bigSize / (bigPush.ms / 1000),
        unit: '/s',
      });
      const bigRows = rowsOf(big, index, Date.now());
      await clear(knex);
      const bigRaw = await timed(() => rawUpsert(knex, bigRows));
      report.add({
        engine,
        name: `${bigLabel} rows, empty table: raw knex batch upsert`,
        value: bigRaw.ms / 1000,
        unit: 's',
      });
      report.add({
        engine,
        name: `${bigLabel} ingest ratio push/raw, empty table`,
        value: bigPush.ms / bigRaw.ms,
        unit: 'x',
      });
    });

    await report.attempt(
      engine,
      `100-resource deltas on ${bigLabel} stored`,
      async () => {
        // The table as an agent leaves it: the raw rows alone would lack history and sessions.
        await clear(knex);
        await rawUpsert(knex, rowsOf(big, index, Date.now()));
        const session = randomUUID();
        const deltaTimes: number[] = [];
        for (let d = 0; d < deltas; d++) {
          const upserts = fleet(100, 1000 + d, (d * 997) % (bigSize - 100));
          const body: PushRequest = {
            agent: agentInfo(session),
            seq: d + 1,
            type: 'delta',
            upserts,
            deletes: [],
          };
          deltaTimes.push((await timed(() => pushAll(backend, [body]))).ms);
        }
        report.add({
          engine,
          name: `100-resource delta on ${bigLabel} stored: p50 (${deltas} pushes)`,
          value: median(deltaTimes),
          unit: 'ms',
        });
        report.add({
          engine,
          name: `100-resource delta on ${bigLabel} stored: p95`,
          value: percentile(deltaTimes, 95),
          unit: 'ms',
        });
      },
    );
  } finally {
    await backend.stop();
  }
}

export async function benchIngest(options = parseOptions()) {
  const report = new Report('ingest', options);
  for (const engine of options.engines) await benchEngine(engine, report);
  return report.finish();
}

if (require.main === module) runMain(async () => void (await benchIngest()));
