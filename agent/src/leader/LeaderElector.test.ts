import { CoordinationV1Api, V1MicroTime } from '@kubernetes/client-node';
import { silentLogger } from '../logging/Logger';
import {
  ClusterObjects,
  eventually,
  ControlPlane,
  startControlPlane,
} from '@shoehorn/gitops-test-kit';
import { LeaderElector } from './LeaderElector';

jest.setTimeout(180_000);

describe('LeaderElector on a real kube-apiserver', () => {
  let cp: ControlPlane;
  const electors: LeaderElector[] = [];

  const elector = (identity: string, leaseName: string) => {
    const changes: boolean[] = [];
    const e = new LeaderElector(
      cp.kubeConfig,
      { namespace: 'gitops', leaseName, identity, leaseDurationSeconds: 2 },
      leader => changes.push(leader),
      silentLogger,
    );
    electors.push(e);
    return { e, changes };
  };

  beforeAll(async () => {
    cp = await startControlPlane();
    await new ClusterObjects(cp.kubeConfig).namespace('gitops');
  });

  afterEach(async () => {
    for (const e of electors.splice(0)) await e.stop();
  });

  afterAll(() => cp?.stop());

  it('elects exactly one of two replicas and hands over when the leader stops', async () => {
    const a = elector('a', 'two-replicas');
    const b = elector('b', 'two-replicas');
    a.e.start();
    b.e.start();
    await eventually(() =>
      expect([a.e.isLeader, b.e.isLeader].filter(Boolean)).toHaveLength(1),
    );
    await new Promise(r => setTimeout(r, 3000));
    expect([a.e.isLeader, b.e.isLeader].filter(Boolean)).toHaveLength(1);
    const [leader, follower] = a.e.isLeader ? [a, b] : [b, a];
    await leader.e.stop();
    await eventually(() => expect(follower.e.isLeader).toBe(true));
    expect(leader.changes).toEqual([true, false]);
  });

  it('takes over the Lease of a crashed holder only once it has expired', async () => {
    const leases = cp.kubeConfig.makeApiClient(CoordinationV1Api);
    // A holder that renewed just now and then died without releasing.
    await leases.createNamespacedLease({
      namespace: 'gitops',
      body: {
        metadata: { name: 'crashed' },
        spec: {
          holderIdentity: 'dead-pod',
          leaseDurationSeconds: 4,
          renewTime: new V1MicroTime(),
          acquireTime: new V1MicroTime(),
        },
      },
    });
    const started = Date.now();
    const b = elector('b', 'crashed');
    b.e.start();
    await eventually(() => expect(b.e.isLeader).toBe(true));
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    const lease = await leases.readNamespacedLease({
      name: 'crashed',
      namespace: 'gitops',
    });
    expect(lease.spec).toMatchObject({
      holderIdentity: 'b',
      leaseTransitions: 1,
    });
  });
});
