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

function command(id: string): AgentCommand {
  return {
    id,
    type: 'sync',
    hard: false,
    resource: {
      tool: 'argocd',
      kind: 'Application',
      namespace: 'argocd',
      name: 'web',
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
    receiver.enqueue(command('c2'));
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
