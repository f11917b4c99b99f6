import {
  ClusterObjects,
  ControlPlane,
  FaultProxy,
  startControlPlane,
} from '@shoehorn/gitops-test-kit';

/** A control plane for watch tests, the cluster's objects, and a fault proxy in front of it. */
export interface CompactingCluster {
  cp: ControlPlane;
  cluster: ClusterObjects;
  proxy: FaultProxy;
  stop(): Promise<void>;
}

/**
 * A kube-apiserver with the project's CRDs that watches straight from etcd and compacts every
 * second, so a watch resumed from an old resourceVersion is refused with 410 Gone.
 */
export async function startCompactingCluster(): Promise<CompactingCluster> {
  const cp = await startControlPlane({
    crds: true,
    apiServerFlags: ['--watch-cache=false', '--etcd-compaction-interval=1s'],
  });
  const proxy = new FaultProxy(
    cp.server,
    Buffer.from(cp.caData, 'base64').toString(),
  );
  await proxy.start();
  return {
    cp,
    cluster: new ClusterObjects(cp.kubeConfig),
    proxy,
    stop: async () => {
      await proxy.stop();
      await cp.stop();
    },
  };
}
