import {
  KubernetesObject,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import { WATCHED_KINDS } from '@shoehorn/plugin-gitops-common';
import { silentLogger } from '../logging/Logger';
import { AgentMetrics } from '../ops/AgentMetrics';
import {
  type ClusterObjects,
  type ControlPlane,
  eventually,
  type FaultProxy,
} from '@shoehorn/gitops-test-kit';
import {
  type CompactingCluster,
  startCompactingCluster,
} from '../__testUtils__/compactingCluster';
import { ResourceInformer } from './ResourceInformer';

jest.setTimeout(300_000);

const APPLICATION = WATCHED_KINDS.find(k => k.kind === 'Application')!;

describe('ResourceInformer on a real kube-apiserver', () => {
  let kit: CompactingCluster;
  let cp: ControlPlane;
  let cluster: ClusterObjects;
  let proxy: FaultProxy;

  beforeAll(async () => {
    kit = await startCompactingCluster();
    ({ cp, cluster, proxy } = kit);
    await cluster.namespace('argocd');
    await cluster.namespace('bulk');
  });

  afterAll(() => kit?.stop());

  function informer(
    namespace: string,
    watchdogMs = 120_000,
    token = cp.adminToken,
  ) {
    const known = new Map<string, KubernetesObject>();
    const removed: string[] = [];
    const metrics = new AgentMetrics();
    const inf = new ResourceInformer(
      proxy.kubeConfig(token),
      APPLICATION,
      namespace,
      {
        upsert: (_k, obj) => known.set(obj.metadata!.name!, obj),
        remove: (_k, _ns, name) => {
          known.delete(name);
          removed.push(name);
        },
      },
      { backoffMinMs: 100, backoffMaxMs: 1000, watchdogMs, crdRetryMs: 500 },
      silentLogger,
      metrics,
    );
    return { inf, known, removed, metrics };
  }

  it('lists a large namespace in pages', async () => {
    let next = 0;
    const worker = async () => {
      while (next < 1_100) {
        const i = next++;
        await cluster.createApplication(
          'bulk',
          `app-${String(i).padStart(4, '0')}`,
        );
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const { inf, known } = informer('bulk');
    const before = proxy.listRequests;
    inf.start();
    try {
      await eventually(() => expect(inf.state).toBe('synced'));
      expect(known.size).toBe(1_100);
      expect(proxy.listRequests - before).toBeGreaterThanOrEqual(3);
    } finally {
      inf.stop();
    }
  });

  it('relists after 410 Gone and reports the objects that vanished meanwhile', async () => {
    await cluster.createApplication('argocd', 'stays');
    await cluster.createApplication('argocd', 'vanishes');
    const { inf, known, removed, metrics } = informer('argocd');
    inf.start();
    try {
      await eventually(() =>
        expect([...known.keys()].sort()).toEqual(['stays', 'vanishes']),
      );
      await eventually(() =>
        expect(proxy.openWatchCount).toBeGreaterThanOrEqual(1),
      );

      // The watch goes quiet while the cluster changes and etcd compacts past its revision.
      proxy.mode = 'silent';
      await cluster.deleteApplication('argocd', 'vanishes');
      await cluster.createApplication('argocd', 'appears');
      for (let i = 0; i < 5; i++) {
        await cluster.setApplicationSync(
          'argocd',
          'stays',
          i % 2 ? 'OutOfSync' : 'Synced',
          `r${i}`,
        );
        await new Promise(r => setTimeout(r, 1000));
      }
      expect(known.has('vanishes')).toBe(true);

      // The watch ends normally; resuming from the compacted revision is refused with 410.
      proxy.mode = 'pass';
      proxy.endWatches();
      await eventually(() =>
        expect([...known.keys()].sort()).toEqual(['appears', 'stays']),
      );
      expect(removed).toEqual(['vanishes']);
      expect(
        await metrics.value('gitops_agent_informer_restarts_total', {
          reason: 'gone',
        }),
      ).toBeGreaterThan(0);
    } finally {
      inf.stop();
    }
  });

  it('keeps its objects marked stale while access is revoked; removes only after a successful list lacks them', async () => {
    await cluster.namespace('revoked');
    await cluster.createApplication('revoked', 'web');
    await cluster.createApplication('revoked', 'api');
    const rbac = cp.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: 'revoked',
      body: {
        metadata: { name: 'reader' },
        rules: [
          {
            apiGroups: ['argoproj.io'],
            resources: ['applications'],
            verbs: ['get', 'list', 'watch'],
          },
        ],
      },
    });
    const binding = {
      metadata: { name: 'reader' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'reader',
      },
      subjects: [
        { kind: 'ServiceAccount', name: 'reader', namespace: 'revoked' },
      ],
    };
    await rbac.createNamespacedRoleBinding({
      namespace: 'revoked',
      body: binding,
    });
    const token = await cp.tokenFor('revoked', 'reader');
    const { inf, known, removed } = informer('revoked', 120_000, token);
    inf.start();
    try {
      await eventually(() => expect(inf.state).toBe('synced'));
      expect(inf.stale).toBe(false);

      // Access revoked: the relist after the watch ends is forbidden.
      await rbac.deleteNamespacedRoleBinding({
        namespace: 'revoked',
        name: 'reader',
      });
      await eventually(async () => {
        proxy.endWatches();
        expect(inf.state).toBe('failing');
        // Ending the watch fails it too; wait for the relist's own refusal.
        expect(inf.lastError).toMatch(/^HTTP 403: /);
      });
      // Deleted while the informer cannot see: nothing is forgotten on a failure.
      await cluster.deleteApplication('revoked', 'api');
      expect(inf.stale).toBe(true);
      expect([...known.keys()].sort()).toEqual(['api', 'web']);
      expect(removed).toEqual([]);

      // Access back: the next list lacks `api`, and only now is it removed.
      await rbac.createNamespacedRoleBinding({
        namespace: 'revoked',
        body: binding,
      });
      await eventually(() => expect(inf.state).toBe('synced'));
      expect(inf.stale).toBe(false);
      expect([...known.keys()]).toEqual(['web']);
      expect(removed).toEqual(['api']);
    } finally {
      inf.stop();
    }
  });

  it('a 404 forgets nothing: the objects stay, stale, until a list succeeds without them', async () => {
    await cluster.namespace('not-served');
    await cluster.createApplication('not-served', 'web');
    const { inf, known, removed } = informer('not-served');
    inf.start();
    try {
      await eventually(() => expect(inf.state).toBe('synced'));
      // The kind is briefly not served (as while a CRD is reinstalled): every request is a 404.
      proxy.mode = 'not-found';
      await eventually(async () => {
        proxy.endWatches();
        expect(inf.state).toBe('missing');
      });
      expect(inf.stale).toBe(true);
      expect([...known.keys()]).toEqual(['web']);
      expect(removed).toEqual([]);

      // Deleted meanwhile; served again: the first good list removes it.
      await cluster.deleteApplication('not-served', 'web');
      proxy.mode = 'pass';
      await eventually(() => expect(inf.state).toBe('synced'));
      expect(inf.stale).toBe(false);
      expect(removed).toEqual(['web']);
      expect(known.size).toBe(0);
    } finally {
      proxy.mode = 'pass';
      inf.stop();
    }
  });
});
