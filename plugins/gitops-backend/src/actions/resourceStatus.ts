import {
  BLOCKED_BY_LABEL,
  describeRootCause,
  type GitOpsCommandView,
  type GitOpsResourceView,
} from '@shoehorn/plugin-gitops-common';

/** One resource as the actions return it (its schema is in registerGitOpsActions.ts). */
export function toResourceStatus(view: GitOpsResourceView) {
  return {
    id: view.id,
    tool: view.tool,
    kind: view.kind,
    cluster: view.cluster,
    clusterState: view.clusterState,
    namespace: view.namespace,
    name: view.name,
    syncStatus: view.syncStatus,
    healthStatus: view.healthStatus,
    revision: view.revision,
    targetRevision: view.targetRevision,
    source: view.source,
    autoSync: view.autoSync,
    suspended: view.suspended,
    lastSyncedAt: view.lastSyncedAt,
    drift: view.drift,
    message: view.message,
    rootCause: view.rootCause && {
      ...view.rootCause,
      summary: `${BLOCKED_BY_LABEL}: ${describeRootCause(view.rootCause)}`,
    },
    linkedEntityRef: view.link.entityRef,
    linkStatus: view.link.status,
  };
}

export function toCommandStatus(view: GitOpsCommandView, created: boolean) {
  return {
    id: view.id,
    resourceId: view.resourceId,
    type: view.type,
    hard: view.hard,
    status: view.status,
    alreadyPending: !created,
    requestedBy: view.requestedBy,
    requestedAt: view.requestedAt,
    message: view.message,
  };
}
