import { WATCHED_KINDS } from '@shoehorn/plugin-gitops-common';
import { eventually } from '@shoehorn/gitops-test-kit';
import {
  type CompactingCluster,
  startCompactingCluster,
} from '../__testUtils__/compactingCluster';
import { ListWatch } from './ListWatch';

jest.setTimeout(300_000);

const APPLICATION = WATCHED_KINDS.find(k => k.kind === 'Application')!;

describe('ListWatch on a real kube-apiserver', () => {
  let kit: CompactingCluster;
  beforeAll(async () => {
    kit = await startCompactingCluster();
  });

  afterAll(() => kit?.stop());

  /** A ListWatch on `namespace`, recording its events as `type:name` in order. */
  function listWatch(namespace: string) {
    const events: string[] = [];
    const lw = new ListWatch(
      kit.proxy.kubeConfig(kit.cp.adminToken),
      APPLICATION,
      namespace,
    );
    for (const type of ['add', 'update', 'delete'] as const) {
      lw.on(type, obj => events.push(`${type}:${obj.metadata!.name}`));
    }
    for (const type of ['list', 'connect', 'expired'] as const) {
      lw.on(type, () => events.push(type));
    }
    const of = (prefix: string) =>
      events.filter(e => e.startsWith(prefix)).sort();
    return { lw, events, of };
  }

  it('lists, then reports objects added, changed and deleted through its watch', async () => {
    await kit.cluster.namespace('lw-basic');
    await kit.cluster.createApplication('lw-basic', 'web');
    const { lw, events, of } = listWatch('lw-basic');
    const running = lw.start('v1alpha1');
    try {
      await eventually(() => expect(events).toContain('list'));
      expect(events.slice(0, 2)).toEqual(['add:web', 'list']);
      expect(lw.size).toBe(1);
      await eventually(() =>
        expect(kit.proxy.openWatchCount).toBeGreaterThanOrEqual(1),
      );

      await kit.cluster.createApplication('lw-basic', 'api');
      await kit.cluster.setApplicationSync(
        'lw-basic',
        'web',
        'OutOfSync',
        'r2',
      );
      await kit.cluster.deleteApplication('lw-basic', 'api');
      await eventually(() => expect(of('delete:')).toEqual(['delete:api']));
      expect(of('add:')).toEqual(['add:api', 'add:web']);
      expect(of('update:')).toContain('update:web');
      expect(lw.size).toBe(1);
      expect(events).toContain('connect');
    } finally {
      lw.stop();
    }
    // Stopping ends the loop quietly, not as a failure.
    await expect(running).resolves.toBeUndefined();
  });

  it('relists when its resourceVersion expired (410), keeping what stayed and reporting what vanished', async () => {
    await kit.cluster.namespace('lw-gone');
    await kit.cluster.createApplication('lw-gone', 'stays');
    await kit.cluster.createApplication('lw-gone', 'vanishes');
    const { lw, events, of } = listWatch('lw-gone');
    lw.start('v1alpha1').catch(() => undefined);
    try {
      await eventually(() => expect(events).toContain('list'));
      await eventually(() =>
        expect(kit.proxy.openWatchCount).toBeGreaterThanOrEqual(1),
      );

      // The watch goes quiet while the cluster changes and etcd compacts past its revision.
      kit.proxy.mode = 'silent';
      await kit.cluster.deleteApplication('lw-gone', 'vanishes');
      await kit.cluster.createApplication('lw-gone', 'appears');
      for (let i = 0; i < 4; i++) {
        await kit.cluster.setApplicationSync(
          'lw-gone',
          'appears',
          'Synced',
          `r${i}`,
        );
        await new Promise(r => setTimeout(r, 1000));
      }
      expect(of('delete:')).toEqual([]);

      // Resuming the watch from the compacted revision is refused; the relist catches up.
      kit.proxy.mode = 'pass';
      const before = events.length;
      kit.proxy.endWatches();
      await eventually(() =>
        expect(events.slice(before)).toEqual(
          expect.arrayContaining(['expired', 'list']),
        ),
      );
      expect(of('delete:')).toEqual(['delete:vanishes']);
      expect(of('add:')).toEqual(['add:appears', 'add:stays', 'add:vanishes']);
      // `stays` did not change: the relist does not report it again.
      expect(events.filter(e => e.endsWith(':stays'))).toEqual(['add:stays']);
      expect(lw.size).toBe(2);
    } finally {
      kit.proxy.mode = 'pass';
      lw.stop();
    }
  });

  it('ends with an error event on a failure, and retries nothing itself', async () => {
    await kit.cluster.namespace('lw-fails');
    const { lw } = listWatch('lw-fails');
    const errors: unknown[] = [];
    lw.on('error', e => errors.push(e));
    const before = kit.proxy.listRequests;
    await expect(lw.start('v9')).rejects.toMatchObject({ code: 404 });
    expect(errors).toHaveLength(1);
    await new Promise(r => setTimeout(r, 500));
    expect(kit.proxy.listRequests - before).toBe(1);
  });
});
