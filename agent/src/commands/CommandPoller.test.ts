import type {
  AgentCommand,
  CommandResult,
} from '@shoehorn/plugin-gitops-common';
import { BackendClient } from '../backend/BackendClient';
import { silentLogger } from '../logging/Logger';
import { AgentMetrics } from '../ops/AgentMetrics';
import { eventually, PushReceiver } from '@shoehorn/gitops-test-kit';
import { CommandPoller } from './CommandPoller';

jest.setTimeout(120_000);

function command(
  id: string,
  name = 'web',
  type: AgentCommand['type'] = 'sync',
): AgentCommand {
  return {
    id,
    type,
    hard: false,
    resource: {
      tool: 'argocd',
      kind: 'Application',
      namespace: 'argocd',
      name,
    },
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
  };
}

describe('CommandPoller with a local receiver', () => {
  let receiver: PushReceiver;
  let poller: CommandPoller | undefined;

  beforeEach(async () => {
    receiver = new PushReceiver();
    await receiver.start();
  });

  afterEach(async () => {
    await poller?.stop();
    await receiver.stop();
  });

  it('runs each command id once, however often it is delivered, and reports the result', async () => {
    const executed: string[] = [];
    let release = () => {};
    const gate = new Promise<void>(r => (release = r));
    const metrics = new AgentMetrics();
    poller = new CommandPoller(
      new BackendClient(receiver.url, receiver.token),
      {
        async execute(c): Promise<CommandResult> {
          executed.push(c.id);
          await gate;
          return { status: 'succeeded', message: `ran ${c.id}` };
        },
      },
      1,
      { minMs: 10, maxMs: 100 },
      silentLogger,
      metrics,
    );
    poller.start();
    receiver.enqueue(command('c1'));
    await eventually(() => expect(executed).toEqual(['c1']));
    // Redelivered while still running (its lease ran out): not run again.
    receiver.enqueue(command('c1'));
    // Another resource's command does not wait for c1.
    receiver.enqueue(command('c2', 'api'));
    await eventually(() => expect(receiver.deliveries.get('c1')).toBe(2));
    await eventually(() => expect(executed).toEqual(['c1', 'c2']));
    release();
    await eventually(() =>
      expect(Object.fromEntries(receiver.results)).toEqual({
        c1: [{ status: 'succeeded', message: 'ran c1' }],
        c2: [{ status: 'succeeded', message: 'ran c2' }],
      }),
    );
    expect(
      await metrics.value('gitops_agent_commands_total', {
        status: 'succeeded',
      }),
    ).toBe(2);
  });

  it('runs the commands of one resource one after the other, in the order delivered', async () => {
    const events: string[] = [];
    const gates = new Map<string, () => void>();
    poller = new CommandPoller(
      new BackendClient(receiver.url, receiver.token),
      {
        async execute(c): Promise<CommandResult> {
          events.push(`start ${c.id}`);
          await new Promise<void>(r => gates.set(c.id, r));
          events.push(`end ${c.id}`);
          return { status: 'succeeded', message: c.type };
        },
      },
      1,
      { minMs: 10, maxMs: 100 },
      silentLogger,
    );
    // Delivered in one answer: a Suspend and then a Resume of web, and a Sync of api.
    receiver.enqueue(command('suspend-web', 'web', 'suspend'));
    receiver.enqueue(command('resume-web', 'web', 'resume'));
    receiver.enqueue(command('sync-api', 'api'));
    poller.start();
    await eventually(() =>
      expect(events).toEqual(['start suspend-web', 'start sync-api']),
    );
    gates.get('sync-api')!();
    await eventually(() => expect(events).toContain('end sync-api'));
    // Resume waits for the Suspend before it, however long that takes.
    expect(events).not.toContain('start resume-web');
    gates.get('suspend-web')!();
    await eventually(() =>
      expect(events.slice(-2)).toEqual(['end suspend-web', 'start resume-web']),
    );
    gates.get('resume-web')!();
    await eventually(() =>
      expect([...receiver.results.keys()].sort()).toEqual([
        'resume-web',
        'suspend-web',
        'sync-api',
      ]),
    );
  });

  it('turns an executor crash into a failed result, and keeps polling after the backend was down', async () => {
    poller = new CommandPoller(
      new BackendClient(receiver.url, receiver.token),
      {
        async execute(): Promise<CommandResult> {
          throw new Error('boom');
        },
      },
      1,
      { minMs: 10, maxMs: 100 },
      silentLogger,
    );
    receiver.down = true;
    poller.start();
    await new Promise(r => setTimeout(r, 300));
    receiver.down = false;
    receiver.enqueue(command('c3'));
    await eventually(() =>
      expect(receiver.results.get('c3')).toEqual([
        { status: 'failed', message: 'agent error: boom' },
      ]),
    );
  });
});
