/*
 * Item 6, fleet scale: two backend replicas, each in a process of its own, on one PostgreSQL
 * database and one Redis cache, simulated agents (each its own static token and cluster, 100
 * resources) pushing through the real HTTP routes in compressed time — a snapshot at start,
 * heartbeats, 1 % of resources changing per (compressed) minute, long-polls for commands on
 * either replica — while simulated users read the fleet page (list, facets, stats) and entity
 * pages on both replicas, and commands are queued on random replicas. Then a quiet phase
 * measures what idle agents cost. The CPU and signal figures are what the replicas report of
 * themselves, so the load generators in this process do not count.
 * `--agents=N` sets the fleet's size (default 250, 50 with --short).
 * A missed goal is a figure with met: false; only a broken run is a failure.
 */
import { randomUUID } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import type { PushRequest } from '@shoehorn/plugin-gitops-common';
import {
  type BenchAgent,
  catalogEntities,
  pgConnectionString,
} from './lib/backend';
import { agentInfo, fleet, fleetResource } from './lib/fleet';
import {
  forkReplica,
  type ReplicaProcess,
  type ReplicaUsage,
} from './lib/replica';
import { nowMs, parseOptions, percentile, Report, runMain } from './lib/report';

const RESOURCES_PER_AGENT = 100;
/** Real seconds per simulated minute. */
const COMPRESSION = 10;
const HEARTBEAT_MS = 30_000 / COMPRESSION;
const CHANGE_ROUND_MS = 60_000 / COMPRESSION;
const POLL_WAIT_S = 25;
const USERS = 20;
const PG_STATS_DELAY_MS = 11_000;
const COMMANDS = 50;
const REDIS_ENV = 'GITOPS_TEST_REDIS_URL';
const ANNOTATED = new Set(
  Array.from(
    { length: RESOURCES_PER_AGENT / 25 },
    (_, k) => fleetResource(k * 25, 0).name,
  ),
);

/** `--agents=N`: the fleet's size; a typo fails rather than measuring another size. */
function agentCountOption(short: boolean, argv = process.argv.slice(2)) {
  const arg = argv.find(a => a.startsWith('--agents='));
  if (!arg) return short ? 50 : 250;
  const count = Number(arg.slice('--agents='.length));
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`--agents: expected a whole number above 0, got ${arg}`);
  return count;
}

/** The replicas share stats through Redis, as several replicas must (see the backend README). */
function redisCache() {
  const connection = process.env[REDIS_ENV];
  if (!connection) {
    throw new Error(
      `${REDIS_ENV} is not set: the fleet benchmark shares its replicas' cache through Redis, e.g.\n` +
        `  export ${REDIS_ENV}=redis://127.0.0.1:6379   (scripts/services.sh starts one)`,
    );
  }
  // A fresh key namespace per run, so runs never see each other's entries.
  return {
    store: 'redis',
    connection,
    redis: { client: { namespace: `gitops-bench-${randomUUID()}` } },
  };
}

/** What the replicas spent between two readings, summed. */
function spent(before: ReplicaUsage[], after: ReplicaUsage[]) {
  return after.reduce(
    (sum, u, i) => ({
      cpuMicros: sum.cpuMicros + u.cpuMicros - before[i].cpuMicros,
      resourceSignals:
        sum.resourceSignals + u.resourceSignals - before[i].resourceSignals,
    }),
    { cpuMicros: 0, resourceSignals: 0 },
  );
}

/** One simulated agent: its cluster's current state, pushes and long-polls. */
class SimulatedAgent {
  readonly session = randomUUID();
  seq = 0;
  generation = new Map<number, number>();
  received = new Map<string, number>();
  private polling = true;
  // Aborts the open long-poll so shutdown need not wait out its 25 s.
  private readonly aborter = new AbortController();
  // A real agent sends one push at a time; overlapping pushes would race on seq.
  private pushes: Promise<unknown> = Promise.resolve();

  constructor(readonly agent: BenchAgent) {}

  resource(i: number) {
    return fleetResource(i, this.generation.get(i) ?? 0);
  }

  push(replica: ReplicaProcess, body: Omit<PushRequest, 'agent' | 'seq'>) {
    const next = this.pushes.then(() => {
      this.seq++;
      return replica.push(this.agent, {
        agent: agentInfo(this.session),
        seq: this.seq,
        ...body,
      });
    });
    this.pushes = next.catch(() => undefined);
    return next;
  }

  snapshot(replica: ReplicaProcess) {
    return this.push(replica, {
      type: 'snapshot',
      upserts: fleet(RESOURCES_PER_AGENT),
      deletes: [],
    });
  }

  heartbeat(replica: ReplicaProcess) {
    return this.push(replica, { type: 'delta', upserts: [], deletes: [] });
  }

  /** 1 % of the cluster's resources get a new revision. */
  change(replica: ReplicaProcess) {
    const changed = Array.from({ length: RESOURCES_PER_AGENT / 100 }, () =>
      Math.floor(Math.random() * RESOURCES_PER_AGENT),
    );
    for (const i of changed)
      this.generation.set(i, (this.generation.get(i) ?? 0) + 1);
    return this.push(replica, {
      type: 'delta',
      upserts: changed.map(i => this.resource(i)),
      deletes: [],
    });
  }

  /** Long-polls on the given replicas in turn until stopped; notes when each command arrives. */
  async pollLoop(replicas: ReplicaProcess[]) {
    for (let round = 0; this.polling; round++) {
      const replica = replicas[round % replicas.length];
      try {
        const res = await fetch(
          `${replica.baseUrl}/api/gitops/agent/v1/commands?wait=${POLL_WAIT_S}&tool=argocd`,
          {
            headers: { authorization: `Bearer ${this.agent.token}` },
            signal: this.aborter.signal,
          },
        );
        const body = await res.json();
        for (const command of body.items ?? []) {
          if (!this.received.has(command.id))
            this.received.set(command.id, nowMs());
          await fetch(
            `${replica.baseUrl}/api/gitops/agent/v1/commands/${command.id}/result?tool=argocd`,
            {
              method: 'POST',
              headers: {
                authorization: `Bearer ${this.agent.token}`,
                'content-type': 'application/json',
              },
              body: JSON.stringify({ status: 'succeeded', message: 'bench' }),
              signal: this.aborter.signal,
            },
          );
        }
      } catch {
        if (this.polling) await new Promise(r => setTimeout(r, 500));
      }
    }
  }

  stopPolling() {
    this.polling = false;
    this.aborter.abort();
  }
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)];

/** A phase of the run; ending it wakes every loop sleeping in it at once. */
class Phase {
  done = false;
  private wake!: () => void;
  private readonly ended = new Promise<void>(r => (this.wake = r));
  end() {
    this.done = true;
    this.wake();
  }
  sleep(ms: number) {
    return Promise.race([sleep(ms), this.ended]);
  }
}

/** Repeats `fn` every `intervalMs` (first run after a random share of it) until the phase ends. */
async function every(
  intervalMs: number,
  phase: Phase,
  fn: () => Promise<unknown>,
) {
  await phase.sleep(Math.random() * intervalMs);
  while (!phase.done) {
    const started = Date.now();
    await fn().catch(() => undefined);
    await phase.sleep(Math.max(0, intervalMs - (Date.now() - started)));
  }
}

const gitopsDatabase = (runId: string) => `bench_${runId}_gitops`;

/** Runs `fn` on a connection of its own to `database` (default: the server's default). */
async function withConnection<T>(
  fn: (knex: Knex) => Promise<T>,
  database?: string,
): Promise<T> {
  const base = pgConnectionString();
  const knex = knexFactory({
    client: 'pg',
    connection: database ? `${base.replace(/\/+$/, '')}/${database}` : base,
  });
  try {
    return await fn(knex);
  } finally {
    await knex.destroy();
  }
}

/**
 * Transactions committed in the run's gitops database so far (PostgreSQL's own counter),
 * read from the server's default database so that reading it does not count.
 */
function committedTransactions(runId: string): Promise<number> {
  return withConnection(async knex => {
    const { rows } = await knex.raw(
      'select xact_commit from pg_stat_database where datname = ?',
      [gitopsDatabase(runId)],
    );
    if (rows.length !== 1)
      throw new Error(`no gitops database of run ${runId}`);
    return Number(rows[0].xact_commit);
  });
}

/**
 * Vacuums the gitops database after the load: otherwise autovacuum catches up on the load's
 * rows during the idle window, one transaction per table, and they count as the agents'.
 */
function vacuum(runId: string): Promise<void> {
  return withConnection(async knex => {
    await knex.raw('vacuum analyze');
  }, gitopsDatabase(runId));
}

async function benchFleet(report: Report) {
  const agentCount = agentCountOption(report.options.short);
  const loadMs = report.options.short ? 30_000 : 120_000;
  const idleMs = report.options.short ? 20_000 : 60_000;
  const clusters = Array.from({ length: agentCount }, (_, i) => `fleet-${i}`);
  const gitopsConfig = { heartbeats: { flushInterval: '5s' } };
  const entities = catalogEntities(RESOURCES_PER_AGENT / 10);
  const cache = redisCache();
  const a = await forkReplica({
    engine: 'pg',
    clusters,
    entities,
    gitopsConfig,
    cache,
  });
  let b: ReplicaProcess | undefined;
  const agents = a.agents.map(agent => new SimulatedAgent(agent));
  // Ended on failure too, or their loops would keep requests open and stop() would wait forever.
  const loading = new Phase();
  const idle = new Phase();
  report.log('replica A started');
  try {
    b = await forkReplica({
      engine: 'pg',
      clusters,
      entities,
      gitopsConfig,
      cache,
      replicaOf: { runId: a.runId, agents: a.agents },
    });
    const replicas = [a, b];
    report.log('replica B started');
    report.log(`${agentCount} agents, 2 replica processes, ${USERS} users`);
    await report.attempt('pg', 'fleet under load', async () => {
      for (let i = 0; i < agents.length; i += 10) {
        await Promise.all(
          agents.slice(i, i + 10).map(s => s.snapshot(pick(replicas))),
        );
      }
      // Each agent long-polls throughout, alternating replicas.
      agents.forEach(s => void s.pollLoop(replicas));

      report.log('snapshots stored; load phase');
      const reads: number[] = [];
      const statsSeen = new Set<string>();
      let statsReads = 0;
      const usage = () => Promise.all(replicas.map(r => r.usage()));
      const usageBefore = await usage();
      // Pushes sent, to show the load the replicas carried: a slowed machine sends fewer.
      const pushesSent = () => agents.reduce((sum, s) => sum + s.seq, 0);
      const pushesBefore = pushesSent();
      const loadStarted = Date.now();
      const work: Array<Promise<unknown>> = [
        ...agents.map(s =>
          every(HEARTBEAT_MS, loading, () => s.heartbeat(pick(replicas))),
        ),
        ...agents.map(s =>
          every(CHANGE_ROUND_MS, loading, () => s.change(pick(replicas))),
        ),
        ...Array.from({ length: USERS }, (_, u) =>
          every(1000, loading, async () => {
            const replica = replicas[u % 2];
            const started = nowMs();
            const [, , stats] = await Promise.all([
              replica.getJson('/v1/resources?limit=50&sort=name'),
              replica.getJson('/v1/facets'),
              replica.getJson('/v1/stats'),
              replica.getJson(
                `/v1/entities/component/default/svc-${
                  Math.floor(Math.random() * 10) * 10
                }/resources`,
              ),
            ]);
            reads.push(nowMs() - started);
            statsReads++;
            // One shared cache: each computation is one miss, whichever replica made it.
            statsSeen.add(stats.computedAt);
          }),
        ),
      ];

      // Commands queued on random replicas, picked up wherever the agent polls.
      // Queued without waiting for each pickup, so a slow pickup cannot stretch the run.
      const queued: Array<{ id: string; sim: SimulatedAgent; sentAt: number }> =
        [];
      for (let c = 0; c < COMMANDS; c++) {
        await sleep(loadMs / COMMANDS / 2);
        const sim = pick(agents);
        const listed = await a.getJson(
          `/v1/resources?cluster=${sim.agent.cluster}&limit=500`,
        );
        // Sync needs an annotated link; only every 25th resource has one.
        const resource = pick(
          (listed.items as Array<{ id: string; name: string }>).filter(r =>
            ANNOTATED.has(r.name),
          ),
        );
        const sentAt = nowMs();
        const { body } = await pick(replicas).postJson(
          `/v1/resources/${resource.id}/commands`,
          { type: 'sync' },
        );
        queued.push({ id: body.id, sim, sentAt });
      }
      report.log(`${COMMANDS} commands queued`);
      await sleep(Math.max(0, loadStarted + loadMs - Date.now()));
      // Beyond the safety poll a command counts as picked up late, at the time it was given up.
      const pickupDeadline = Date.now() + 12_000;
      while (
        queued.some(q => !q.sim.received.has(q.id)) &&
        Date.now() < pickupDeadline
      )
        await sleep(50);
      const pickups = queued.map(
        q => (q.sim.received.get(q.id) ?? nowMs()) - q.sentAt,
      );
      const unpicked = queued.filter(q => !q.sim.received.has(q.id)).length;
      loading.end();
      await Promise.all(work);
      report.log(`load phase over; ${unpicked} commands not picked up`);
      const loadMinutes = (Date.now() - loadStarted) / 60_000;
      const load = spent(usageBefore, await usage());
      const pushes = pushesSent() - pushesBefore;

      const p95 = percentile(reads, 95);
      report.add({
        engine: 'pg',
        name: 'fleet: portal read p95 under load',
        value: p95,
        unit: 'ms',
        goal: '< 100 ms',
        met: p95 < 100,
        note: `${reads.length} page loads (list, facets, stats, entity in parallel), ${agentCount} agents`,
      });
      const hitRatio = statsReads > 0 ? 1 - statsSeen.size / statsReads : 0;
      report.add({
        engine: 'pg',
        name: 'fleet: stats cache hit ratio',
        value: hitRatio,
        unit: 'count',
        goal: '>= 0.9',
        met: hitRatio >= 0.9,
      });
      const perBrowser = load.resourceSignals / (loadMinutes * 60 || 1);
      report.add({
        engine: 'pg',
        name: 'fleet: signals per second per browser',
        value: perBrowser,
        unit: '/s',
        goal: '<= 0.5',
        met: perBrowser <= 0.5,
      });
      const pickupP95 = percentile(pickups, 95);
      report.add({
        engine: 'pg',
        name: 'fleet: command pickup p95 across replicas',
        value: pickupP95,
        unit: 'ms',
        goal: '< 250 ms',
        met: pickupP95 < 250,
        note: `${COMMANDS} commands, ${unpicked} not picked up within 12 s of the load phase's end`,
      });
      // Both replicas' processes only: the simulated agents and users run in this one.
      const cpuSeconds = load.cpuMicros / 1e6;
      // Per simulated minute: the load phase runs COMPRESSION simulated minutes per real one.
      const perThousand =
        cpuSeconds / (agentCount / 1000) / (loadMinutes * COMPRESSION);
      report.add({
        engine: 'pg',
        name: 'fleet: backend CPU seconds per 1,000 agents per minute',
        value: perThousand,
        unit: 's',
        goal: '<= 30 s',
        met: perThousand <= 30,
        note:
          `${cpuSeconds.toFixed(1)} s in the two replica processes over ${(
            loadMinutes * 60
          ).toFixed(0)} s serving ${pushes} pushes from ${agentCount} agents ` +
          `and ${reads.length} page loads; ${COMPRESSION}x compressed time`,
      });

      // Quiet fleet in real time: a heartbeat every 30 s and the long-polls, nothing else.
      const idleWork = agents.map(s =>
        every(30_000, idle, () => s.heartbeat(pick(replicas))),
      );
      report.log('idle phase');
      await vacuum(a.runId);
      // PostgreSQL counts an idle connection's transactions up to 10 s late: let the load's drain.
      await sleep(PG_STATS_DELAY_MS);
      const before = await committedTransactions(a.runId);
      const idleStarted = Date.now();
      await sleep(idleMs);
      idle.end();
      const idleMinutes = (Date.now() - idleStarted) / 60_000;
      const transactions = (await committedTransactions(a.runId)) - before;
      await Promise.all(idleWork);
      const perAgent = transactions / agentCount / idleMinutes;
      report.add({
        engine: 'pg',
        name: 'fleet: idle DB transactions per agent per minute',
        value: perAgent,
        unit: 'count',
        goal: '<= 2',
        met: perAgent <= 2,
        note: `${transactions} transactions committed in the gitops database in ${
          idleMs / 1000
        } s, both replicas`,
      });

      agents.forEach(s => s.stopPolling());
      report.log('comparing stored state with what the agents sent');
      // Every agent's last state is stored: compare with what the portal lists.
      let lost = 0;
      for (const sim of agents) {
        const page = await b!.getJson(
          `/v1/resources?cluster=${sim.agent.cluster}&limit=500`,
        );
        const stored = new Map<string, string | null>(
          page.items.map((r: { name: string; revision: string | null }) => [
            r.name,
            r.revision,
          ]),
        );
        for (let i = 0; i < RESOURCES_PER_AGENT; i++) {
          const sent = sim.resource(i);
          if (stored.get(sent.name) !== sent.revision) lost++;
        }
      }
      report.add({
        engine: 'pg',
        name: 'fleet: lost updates',
        value: lost,
        unit: 'count',
        goal: '0',
        met: lost === 0,
      });
    });
  } catch (error) {
    report.log(`fleet run failed: ${error}`);
    throw error;
  } finally {
    loading.end();
    idle.end();
    agents.forEach(s => s.stopPolling());
    report.log('stopping replicas');
    await b?.stop();
    await a.stop();
  }
}

export async function runFleetBench(options = parseOptions()) {
  const report = new Report('fleet', options);
  await benchFleet(report);
  return report.finish();
}

if (require.main === module) runMain(async () => void (await runFleetBench()));
