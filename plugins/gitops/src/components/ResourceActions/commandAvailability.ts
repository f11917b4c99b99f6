import type {
  ClusterView,
  CommandType,
  GitOpsResourceView,
} from '@shoehorn/plugin-gitops-common';

const SYNCABLE_KINDS = new Set(['Application', 'Kustomization', 'HelmRelease']);

/**
 * Why a command cannot run on a resource, or null when it can. Mirrors what the
 * agent of the resource's cluster reported it is able to do.
 */
export function commandUnavailableReason(
  type: CommandType,
  resource: Pick<GitOpsResourceView, 'cluster' | 'kind' | 'tool'>,
  cluster: ClusterView | undefined,
): string | null {
  if (type === 'sync' && !SYNCABLE_KINDS.has(resource.kind)) {
    return `Sync applies to Applications, Kustomizations and HelmReleases; use Refresh for a ${resource.kind}.`;
  }
  if (!cluster) {
    return `No agent has reported for cluster ${resource.cluster}.`;
  }
  if (cluster.state === 'disconnected') {
    return `The agent of cluster ${cluster.name} is disconnected, so it would not pick up the command.`;
  }
  if (!cluster.agent.capabilities[type]) {
    const { capabilities } = cluster.agent;
    let why = `its agent cannot run ${type}`;
    if (cluster.agent.tool === 'argocd') {
      why = 'its agent has no ArgoCD token';
    } else if (!capabilities.sync && !capabilities.refresh) {
      why = 'its agent runs without commands';
    }
    return `Cluster ${cluster.name} is read-only: ${why}.`;
  }
  return null;
}
