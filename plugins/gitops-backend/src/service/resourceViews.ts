import type {
  ClusterAgentView,
  ClusterView,
  GitOpsResourceView,
  GitOpsTool,
  RootCause,
} from '@shoehorn/plugin-gitops-common';
import type {
  StoredClusterAgent,
  StoredGitOpsResource,
} from '../database/types';
import type { PushRefusal } from '../database/PushRefusalStore';
import { clusterStateAt } from './clusterState';

function toAgentView(agent: StoredClusterAgent, now: number): ClusterAgentView {
  return {
    tool: agent.agentTool,
    version: agent.agentVersion,
    session: agent.agentSession,
    capabilities: agent.capabilities,
    state: clusterStateAt(agent.lastSeenAt, now),
    lastSeenAt: new Date(agent.lastSeenAt).toISOString(),
  };
}

/** One cluster from its agents (at least one); its state is that of the freshest agent. */
export function toClusterView(
  name: string,
  agents: StoredClusterAgent[],
  now: number,
  refusal?: PushRefusal,
): ClusterView {
  const lastSeenAt = Math.max(...agents.map(a => a.lastSeenAt));
  return {
    name,
    state: clusterStateAt(lastSeenAt, now),
    lastSeenAt: new Date(lastSeenAt).toISOString(),
    lastRefusedPush: refusal
      ? {
          status: refusal.status,
          message: refusal.message,
          at: new Date(refusal.refusedAt).toISOString(),
        }
      : null,
    agents: agents.map(a => toAgentView(a, now)),
  };
}

/** The clusters of stored agents, in the agents' order, each with its refused push. */
export function toClusterViews(
  agents: StoredClusterAgent[],
  now: number,
  refusals: Map<string, PushRefusal>,
): ClusterView[] {
  const byCluster = new Map<string, StoredClusterAgent[]>();
  for (const agent of agents) {
    byCluster.set(agent.name, [...(byCluster.get(agent.name) ?? []), agent]);
  }
  return [...byCluster].map(([name, ofCluster]) =>
    toClusterView(name, ofCluster, now, refusals.get(name)),
  );
}

const agentKey = (cluster: string, tool: GitOpsTool) =>
  JSON.stringify([cluster, tool]);

/** Renders stored resources, each with the state of its cluster's agent of its tool at `now` and its root cause. */
export function toResourceViews(
  resources: StoredGitOpsResource[],
  agents: StoredClusterAgent[],
  now: number,
  rootCauses: Map<string, RootCause | null>,
): GitOpsResourceView[] {
  const lastSeen = new Map(
    agents.map(a => [agentKey(a.name, a.agentTool), a.lastSeenAt]),
  );
  return resources.map(({ tenant: _tenant, observedAt, ...resource }) => {
    const seen = lastSeen.get(agentKey(resource.cluster, resource.tool));
    return {
      ...resource,
      clusterState:
        seen === undefined ? 'disconnected' : clusterStateAt(seen, now),
      observedAt: new Date(observedAt).toISOString(),
      rootCause: rootCauses.get(resource.id) ?? null,
    };
  });
}
