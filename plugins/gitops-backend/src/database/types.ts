import type {
  AgentCapabilities,
  AgentKindStatus,
  GitOpsResource,
  GitOpsTool,
  HealthStatus,
  ResourceFilter,
  ResourceLink,
  ResourceSortField,
  SyncStatus,
} from '@shoehorn/plugin-gitops-common';

/** Decides the link of a resource from its name, its annotation and a manual override. */
export type LinkResolver = (
  resource: Pick<GitOpsResource, 'name' | 'entityAnnotation'>,
  manualEntityRef: string | undefined,
) => ResourceLink;

/** A resource as stored, before the cluster state is attached. */
export interface StoredGitOpsResource extends GitOpsResource {
  id: string;
  tenant: string;
  cluster: string;
  link: ResourceLink;
  /** Epoch milliseconds. */
  observedAt: number;
}

/** One tool's agent of a cluster, as its last heartbeat left it (one row per cluster and tool). */
export interface StoredClusterAgent {
  tenant: string;
  /** The cluster's name. */
  name: string;
  agentSubject: string;
  agentVersion: string;
  agentSession: string;
  agentTool: GitOpsTool;
  capabilities: AgentCapabilities;
  /** How it watches each kind; null from agents that do not report it. */
  kinds: AgentKindStatus[] | null;
  /** Epoch milliseconds. */
  lastSeenAt: number;
}

export type PushOutcome =
  /**
   * `changed`: rows created, rewritten or deleted (0 for a push that repeats what is
   * stored); `entityRefs`: the entities those rows were linked to, before or after.
   */
  | { kind: 'applied'; applied: number; changed: number; entityRefs: string[] }
  | { kind: 'stale' }
  | { kind: 'pending'; received: number; parts: number };

export {
  RESOURCE_SORT_FIELDS,
  type ResourceFilter,
  type ResourceSortField,
} from '@shoehorn/plugin-gitops-common';

export interface ResourceSort {
  field: ResourceSortField;
  descending: boolean;
}

export interface ResourcePageRequest {
  filter: ResourceFilter;
  sort: ResourceSort;
  limit: number;
  cursor?: string;
}

export interface ResourcePage {
  items: StoredGitOpsResource[];
  totalCount: number;
  nextCursor: string | null;
}

/** Counts grouped by the fields the stats are built from. */
export interface StatusCountRow {
  tool: GitOpsTool;
  syncStatus: SyncStatus;
  healthStatus: HealthStatus;
  driftDetected: boolean;
  suspended: boolean;
  count: number;
}
