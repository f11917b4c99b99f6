import type {
  ClusterAgentView,
  ClusterView,
  GitOpsResourceView,
  GitOpsTool,
  RootCause,
} from '@shoehorn/plugin-gitops-common';
import { isKindStale } from '@shoehorn/plugin-gitops-common';
import type {
  StoredClusterAgent,
  StoredGitOpsResource,
} from '../database/types';
import type { PushRefusal } from '../database/PushRefusalStore';
import { clusterStateAt } from './clusterState';

function toRefusedPushView(refusal: PushRefusal | undefined) {
  return refusal
    ? {
        status: refusal.status,
        message: refusal.message,
        at: new Date(refusal.refusedAt).toISOString(),
      }
    : null;
}

function toAgentView(
  agent: StoredClusterAgent,
  now: number,
  refusal: PushRefusal | undefined,
): ClusterAgentView {
  return {
    tool: agent.agentTool,
    version: agent.agentVersion,
    session: agent.agentSession,
    capabilities: agent.capabilities,
    state: clusterStateAt(agent.lastSeenAt, now),
    lastSeenAt: new Date(agent.lastSeenAt).toISOString(),
    kinds: agent.kinds,
    lastRefusedPush: toRefusedPushView(refusal),
  };
}

/**
 * One cluster from its agents (at least one) and its refusals, the most recent first; its
 * state is that of the freshest agent.
 */
export function toClusterView(
  name: string,
  agents: StoredClusterAgent[],
  now: number,
  refusals: PushRefusal[] = [],
): ClusterView {
  const lastSeenAt = Math.max(...agents.map(a => a.lastSeenAt));
  return {
    name,
    state: clusterStateAt(lastSeenAt, now),
    lastSeenAt: new Date(lastSeenAt).toISOString(),
    lastRefusedPush: toRefusedPushView(refusals[0]),
    agents: agents.map(a =>
      toAgentView(
        a,
        now,
        refusals.find(r => r.tool === a.agentTool),
      ),
    ),
  };
}

/** The clusters of stored agents, in the agents' order, each with its refused pushes (most recent first). */
export function toClusterViews(
  agents: StoredClusterAgent[],
  now: number,
  refusals: PushRefusal[],
): ClusterView[] {
  const byCluster = new Map<string, StoredClusterAgent[]>();
  for (const agent of agents) {
    byCluster.set(agent.name, [...(byCluster.get(agent.name) ?? []), agent]);
  }
  return [...byCluster].map(([name, ofCluster]) =>
    toClusterView(
      name,
      ofCluster,
      now,
      refusals.filter(r => r.cluster === name),
    ),
  );
}

const agentKey = (cluster: string, tool: GitOpsTool) =>
  JSON.stringify([cluster, tool]);

/**
 * Renders stored resources, each with the state of its cluster's agent of its tool at
 * `now`, whether that agent reports it cannot watch its kind, and its root cause.
 */
export function toResourceViews(
  resources: StoredGitOpsResource[],
  agents: StoredClusterAgent[],
  now: number,
  rootCauses: Map<string, RootCause | null>,
): GitOpsResourceView[] {
  const byKey = new Map(agents.map(a => [agentKey(a.name, a.agentTool), a]));
  return resources.map(({ tenant: _tenant, observedAt, ...resource }) => {
    const agent = byKey.get(agentKey(resource.cluster, resource.tool));
    return {
      ...resource,
      clusterState:
        agent === undefined
          ? 'disconnected'
          : clusterStateAt(agent.lastSeenAt, now),
      observedAt: new Date(observedAt).toISOString(),
      rootCause: rootCauses.get(resource.id) ?? null,
      stale: isKindStale(agent, resource.kind),
    };
  });
}
