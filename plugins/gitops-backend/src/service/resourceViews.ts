import type {
  ClusterView,
  GitOpsResourceView,
  RootCause,
} from '@shoehorn/plugin-gitops-common';
import type { StoredCluster, StoredGitOpsResource } from '../database/types';
import type { PushRefusal } from '../database/PushRefusalStore';
import { clusterStateAt } from './clusterState';

export function toClusterView(
  cluster: StoredCluster,
  now: number,
  refusal?: PushRefusal,
): ClusterView {
  return {
    name: cluster.name,
    state: clusterStateAt(cluster.lastSeenAt, now),
    lastSeenAt: new Date(cluster.lastSeenAt).toISOString(),
    lastRefusedPush: refusal
      ? {
          status: refusal.status,
          message: refusal.message,
          at: new Date(refusal.refusedAt).toISOString(),
        }
      : null,
    agent: {
      version: cluster.agentVersion,
      session: cluster.agentSession,
      tool: cluster.agentTool,
      capabilities: cluster.capabilities,
    },
  };
}

/** Renders stored resources, each with the state of its cluster at `now` and its root cause. */
export function toResourceViews(
  resources: StoredGitOpsResource[],
  clusters: StoredCluster[],
  now: number,
  rootCauses: Map<string, RootCause | null>,
): GitOpsResourceView[] {
  const lastSeen = new Map(clusters.map(c => [c.name, c.lastSeenAt]));
  return resources.map(({ tenant: _tenant, observedAt, ...resource }) => {
    const seen = lastSeen.get(resource.cluster);
    return {
      ...resource,
      clusterState:
        seen === undefined ? 'disconnected' : clusterStateAt(seen, now),
      observedAt: new Date(observedAt).toISOString(),
      rootCause: rootCauses.get(resource.id) ?? null,
    };
  });
}
