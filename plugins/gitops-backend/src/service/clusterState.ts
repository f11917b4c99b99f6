import {
  CLUSTER_DISCONNECTED_AFTER_MS,
  CLUSTER_STALE_AFTER_MS,
  type ClusterState,
} from '@shoehorn/plugin-gitops-common';

/** Freshness of a cluster from the age of its agent's last heartbeat. */
export function clusterStateAt(lastSeenAt: number, now: number): ClusterState {
  const age = now - lastSeenAt;
  if (age > CLUSTER_DISCONNECTED_AFTER_MS) {
    return 'disconnected';
  }
  if (age > CLUSTER_STALE_AFTER_MS) {
    return 'stale';
  }
  return 'connected';
}
