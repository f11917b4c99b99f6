/*
 * Item 4, command pickup: a user queues a sync through the portal API; the real agent's
 * CommandPoller, long-polling through its BackendClient with a static token, receives it.
 * Time from the portal request to the agent holding the command, p50/p95.
 */
import { randomUUID } from 'node:crypto';
import type {
  AgentCommand,
  CommandResult,
} from '@shoehorn/plugin-gitops-common';
import { BackendClient } from '../agent/src/backend/BackendClient';
import { CommandPoller } from '../agent/src/commands/CommandPoller';
import type { CommandExecutor } from '../agent/src/commands/CommandExecutor';
import { silentLogger } from '../agent/src/logging/Logger';
import { Engine, startBenchBackend } from './lib/backend';
import { fleet, snapshotPushes } from './lib/fleet';
import { nowMs, parseOptions, percentile, Report, runMain } from './lib/report';

const CLUSTER = 'bench-commands';

/** Runs nothing against a GitOps tool: notes when each command reached the agent. */
class ArrivalRecorder implements CommandExecutor {
  private readonly waiting = new Map<string, (at: number) => void>();
  private readonly arrived = new Map<string, number>();

  async execute(command: AgentCommand): Promise<CommandResult> {
    const at = nowMs();
    this.arrived.set(command.id, at);
    this.waiting.get(command.id)?.(at);
    return { status: 'succeeded', message: 'recorded by the benchmark' };
  }

  arrival(id: string): Promise<number> {
    const known = this.arrived.get(id);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise(resolve => this.waiting.set(id, resolve));
  }
}

async function benchEngine(engine: Engine, report: Report) {
  const count = report.options.short ? 10 : 200;
  const backend = await startBenchBackend({ engine, clusters: [CLUSTER] });
  const agent = backend.agent(CLUSTER);
  const recorder = new ArrivalRecorder();
  const poller = new CommandPoller(
    new BackendClient(backend.baseUrl, agent.token),
    recorder,
    25,
    { minMs: 100, maxMs: 1000 },
    silentLogger,
  );
  try {
    await report.attempt(
      engine,
      `command pickup over ${count} commands`,
      async () => {
        for (const body of snapshotPushes(randomUUID(), 1, fleet(count)))
          await backend.push(agent, body);
        const listed = await backend.getJson(
          `/v1/resources?cluster=${CLUSTER}&limit=500`,
        );
        const ids: string[] = listed.items.map((r: { id: string }) => r.id);
        if (ids.length !== count)
          throw new Error(`expected ${count} resources, listed ${ids.length}`);
        poller.start();
        // Let the first long-poll reach the backend.
        await new Promise(r => setTimeout(r, 500));
        const pickup: number[] = [];
        const commandIds: string[] = [];
        for (const id of ids) {
          await new Promise(r => setTimeout(r, Math.random() * 50));
          const sentAt = nowMs();
          const { status, body } = await backend.postJson(
            `/v1/resources/${id}/commands`,
            { type: 'sync' },
          );
          if (status !== 201)
            throw new Error(`queueing a command answered ${status}`);
          commandIds.push(body.id);
          pickup.push((await recorder.arrival(body.id)) - sentAt);
        }
        // Every command ends as the agent reported it.
        const deadline = Date.now() + 60_000;
        for (const id of commandIds) {
          for (;;) {
            const view = await backend.getJson(`/v1/commands/${id}`);
            if (view.status === 'succeeded') break;
            if (Date.now() > deadline)
              throw new Error(`command ${id} is still ${view.status}`);
            await new Promise(r => setTimeout(r, 50));
          }
        }
        const p95 = percentile(pickup, 95);
        report.add({
          engine,
          name: `command pickup (request sent -> agent holds it), p50 of ${count}`,
          value: percentile(pickup, 50),
          unit: 'ms',
        });
        report.add({
          engine,
          name: `command pickup, p95`,
          value: p95,
          unit: 'ms',
          goal: '< 2 s',
          met: p95 < 2000,
        });
        report.add({
          engine,
          name: `command pickup, max`,
          value: Math.max(...pickup),
          unit: 'ms',
        });
      },
    );
  } finally {
    await poller.stop();
    await backend.stop();
  }
}

export async function benchCommands(options = parseOptions()) {
  const report = new Report('commands', options);
  for (const engine of options.engines) await benchEngine(engine, report);
  return report.finish();
}

if (require.main === module) runMain(async () => void (await benchCommands()));
