import type { GitOpsTool, HealthStatus, LinkStatus, SyncStatus } from './model';
import type { CommandType } from './protocol';
import type { RootCauseReason } from './rootCause';

/** Display names of the GitOps tools. @public */
export const TOOL_LABELS: Record<GitOpsTool, string> = {
  argocd: 'ArgoCD',
  fluxcd: 'FluxCD',
};

/** Display text of the sync statuses. @public */
export const SYNC_STATUS_LABELS: Record<SyncStatus, string> = {
  Synced: 'Synced',
  OutOfSync: 'Out of sync',
  Unknown: 'Unknown',
};

/** Display text of the health statuses. @public */
export const HEALTH_STATUS_LABELS: Record<HealthStatus, string> = {
  Healthy: 'Healthy',
  Progressing: 'Progressing',
  Degraded: 'Degraded',
  Suspended: 'Suspended',
  Missing: 'Missing',
  Unknown: 'Unknown',
};

/** Display text of the ways a resource came to be linked. @public */
export const LINK_STATUS_LABELS: Record<LinkStatus, string> = {
  annotation: 'Linked by annotation',
  name: 'Linked by name',
  manual: 'Linked manually',
  unlinked: 'Unlinked',
  ambiguous: 'Ambiguous',
};

/** Button text of the command types. @public */
export const COMMAND_TYPE_LABELS: Record<CommandType, string> = {
  sync: 'Sync',
  refresh: 'Refresh',
  suspend: 'Suspend',
  resume: 'Resume',
};

/** Lead-in of the one-line root cause of a resource. @public */
export const BLOCKED_BY_LABEL = 'Blocked by';

/** Display text of the root-cause reasons, when the blocking object has no message. @public */
export const ROOT_CAUSE_LABELS: Record<RootCauseReason, string> = {
  suspended: 'suspended',
  sourceNotReady: 'source not ready',
  dependencyNotReady: 'dependency not ready',
  operationFailed: 'sync operation failed',
  syncError: 'sync error',
  syncWindow: 'a sync window denies syncing now',
};
