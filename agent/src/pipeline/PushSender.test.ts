import { WATCHED_KINDS } from '@shoehorn/plugin-gitops-common';
import { BackendClient } from '../backend/BackendClient';
import { silentLogger } from '../logging/Logger';
import { AgentMetrics } from '../ops/AgentMetrics';
import { eventually, PushReceiver, record } from '@shoehorn/gitops-test-kit';
import { ResourceInventory } from '../watch/ResourceInventory';
import { CoalescingBuffer } from './CoalescingBuffer';
import { PushSender, PushSenderOptions } from './PushSender';

// Generous: the machine is shared; waits poll for convergence rather than measure time.
jest.setTimeout(120_000);

const APPLICATION = WATCHED_KINDS.find(k => k.kind === 'Application')!;

function application(name: string, sync: string, revision: string) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name,
      namespace: 'argocd',
      uid: `uid-${name}`,
      resourceVersion: revision,
    },
    spec: {
      source: {
        repoURL: 'https://git.example.com/x.git',
        targetRevision: 'main',
      },
    },
    status: { sync: { status: sync, revision } },
  };
}

describe('PushSender with a local receiver', () => {
  let receiver: PushReceiver;
  let sender: PushSender | undefined;

  beforeEach(async () => {
    receiver = new PushReceiver();
    await receiver.start();
  });

  afterEach(async () => {
    await sender?.stop();
    sender = undefined;
    await receiver.stop();
  });

  function pipeline(
    options: Partial<PushSenderOptions> = {},
    ready = () => true,
  ) {
    const metrics = new AgentMetrics();
    const buffer = new CoalescingBuffer(100_000, size => {
      metrics.bufferObjects.set(size);
      sender?.notify();
    });
    const inventory = new ResourceInventory(buffer, silentLogger);
    const agent = {
      version: '0.1.0',
      session: `s-${Math.random()}`,
      tool: 'argocd' as const,
      capabilities: { sync: false, refresh: false },
    };
    sender = new PushSender(
      new BackendClient(receiver.url, receiver.token),
      buffer,
      inventory,
      agent,
      {
        flushIntervalMs: 50,
        flushMaxObjects: 500,
        snapshotIntervalMs: 600_000,
        heartbeatIntervalMs: 60_000,
        backoffMinMs: 20,
        backoffMaxMs: 200,
        ...options,
      },
      ready,
      silentLogger,
      metrics,
    );
    return { buffer, inventory, metrics, sender, agent };
  }

  it('starts with a snapshot, then sends deltas with increasing seq', async () => {
    const { inventory, sender: s } = pipeline();
    inventory.upsert(APPLICATION, application('a', 'Synced', '1'));
    s.start();
    await eventually(() =>
      expect(receiver.keys()).toEqual(['argocd/Application/argocd/a']),
    );
    inventory.upsert(APPLICATION, application('b', 'OutOfSync', '2'));
    inventory.remove(APPLICATION, 'argocd', 'a');
    await eventually(() =>
      expect(receiver.keys()).toEqual(['argocd/Application/argocd/b']),
    );
    expect(receiver.pushes.map(p => p.type)).toEqual(['snapshot', 'delta']);
    expect(receiver.pushes[1]).toMatchObject({
      seq: 2,
      deletes: [{ name: 'a' }],
      upserts: [{ name: 'b', syncStatus: 'OutOfSync' }],
    });
  });

  it('waits for the informers before the first snapshot', async () => {
    let ready = false;
    const { inventory, sender: s } = pipeline({}, () => ready);
    s.start();
    await new Promise(r => setTimeout(r, 300));
    expect(receiver.pushes).toHaveLength(0);
    inventory.upsert(APPLICATION, application('a', 'Synced', '1'));
    ready = true;
    await eventually(() =>
      expect(receiver.pushes[0]).toMatchObject({
        type: 'snapshot',
        upserts: [{ name: 'a' }],
      }),
    );
  });

  it('splits a snapshot above the size limit into parts applied together', async () => {
    const { inventory, sender: s } = pipeline({
      maxPushBytes: 16 * 1024 + 3000,
    });
    for (let i = 0; i < 40; i++)
      inventory.upsert(APPLICATION, application(`app-${i}`, 'Synced', '1'));
    s.start();
    await eventually(() => expect(receiver.resources.size).toBe(40));
    const parts = receiver.pushes.filter(p => p.type === 'snapshot');
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.map(p => [p.part, p.parts])).toEqual(
      parts.map((_, i) => [i + 1, parts.length]),
    );
    expect(new Set(parts.map(p => p.seq)).size).toBe(1);
    for (const p of parts)
      expect(JSON.stringify(p).length).toBeLessThanOrEqual(16 * 1024 + 3000);
  });

  it('sends an empty delta as a heartbeat when idle', async () => {
    const { sender: s } = pipeline({ heartbeatIntervalMs: 150 });
    s.start();
    await eventually(() =>
      expect(
        receiver.pushes.filter(
          p =>
            p.type === 'delta' &&
            p.upserts.length === 0 &&
            p.deletes.length === 0,
        ).length,
      ).toBeGreaterThanOrEqual(2),
    );
  });

  it('sends a full snapshot periodically', async () => {
    const { inventory, sender: s } = pipeline({ snapshotIntervalMs: 1000 });
    inventory.upsert(APPLICATION, application('a', 'Synced', '1'));
    s.start();
    await eventually(
      () =>
        expect(
          receiver.pushes.filter(p => p.type === 'snapshot').length,
        ).toBeGreaterThanOrEqual(2),
      20_000,
    );
  });

  it('collapses 10,000 updates of one object during an outage and delivers the last one after it', async () => {
    const { inventory, buffer, metrics, sender: s } = pipeline();
    inventory.upsert(APPLICATION, application('busy', 'Synced', 'start'));
    s.start();
    await eventually(() =>
      expect(receiver.keys()).toEqual(['argocd/Application/argocd/busy']),
    );
    receiver.down = true;
    inventory.upsert(APPLICATION, application('busy', 'OutOfSync', 'first'));
    await eventually(async () =>
      expect(
        await metrics.value('gitops_agent_push_failures_total', {
          reason: '503',
        }),
      ).toBeGreaterThan(0),
    );
    for (let i = 0; i < 10_000; i++) {
      inventory.upsert(
        APPLICATION,
        application('busy', i % 2 ? 'OutOfSync' : 'Synced', `r${i}`),
      );
      inventory.upsert(
        APPLICATION,
        application(`other-${i % 3}`, 'Synced', `r${i}`),
      );
    }
    expect(buffer.size).toBeLessThanOrEqual(4);
    expect(
      await metrics.value('gitops_agent_buffer_objects'),
    ).toBeLessThanOrEqual(4);
    inventory.remove(APPLICATION, 'argocd', 'other-0');
    receiver.down = false;
    // A batch taken before the removal may land first; the portal ends at the inventory's state.
    await eventually(() => {
      expect(
        receiver.resources.get('argocd/Application/argocd/busy')?.revision ??
          receiver.resources.get('argocd/Application/argocd/busy')
            ?.targetRevision,
      ).toBe('r9999');
      expect(receiver.keys()).toEqual([
        'argocd/Application/argocd/busy',
        'argocd/Application/argocd/other-1',
        'argocd/Application/argocd/other-2',
      ]);
    });
    // The outage ended with a full snapshot (a reconnect), never a replay of lost deltas.
    expect(
      receiver.pushes.filter(p => p.type === 'snapshot').length,
    ).toBeGreaterThanOrEqual(2);
    expect(receiver.pushes.map(p => p.type)).toContain('snapshot');
  });

  it('reports a refused credential', async () => {
    const metrics = new AgentMetrics();
    const buffer = new CoalescingBuffer(10);
    sender = new PushSender(
      new BackendClient(receiver.url, 'wrong-token'),
      buffer,
      { snapshot: () => [record('a')] },
      {
        version: '0.1.0',
        session: 's',
        tool: 'argocd',
        capabilities: { sync: false, refresh: false },
      },
      {
        flushIntervalMs: 50,
        flushMaxObjects: 10,
        snapshotIntervalMs: 60_000,
        heartbeatIntervalMs: 60_000,
        backoffMinMs: 10,
        backoffMaxMs: 50,
      },
      () => true,
      silentLogger,
      metrics,
    );
    sender.start();
    await eventually(() =>
      expect(sender!.lastError).toMatch(/HTTP 401: no credentials/),
    );
    expect(
      await metrics.value('gitops_agent_push_failures_total', {
        reason: '401',
      }),
    ).toBeGreaterThan(0);
  });
});
