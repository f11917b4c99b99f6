import type {
  AgentCapabilities,
  GitOpsResource,
  GitOpsTool,
  HealthStatus,
  PushRequest,
  ResourceFacets,
  ResourceFilter,
  ResourceLink,
  ResourceSortField,
  StatusChange,
  SyncStatus,
} from '@shoehorn/plugin-gitops-common';

/** Where an authenticated agent may write: taken from config, never from a request. */
export interface AgentIdentity {
  subject: string;
  tenant: string;
  cluster: string;
}

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

export interface StoredCluster {
  tenant: string;
  name: string;
  agentSubject: string;
  agentVersion: string;
  agentSession: string;
  agentTool: GitOpsTool;
  capabilities: AgentCapabilities;
  /** Epoch milliseconds. */
  lastSeenAt: number;
}

export type PushOutcome =
  | { kind: 'applied'; applied: number }
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

/** Persistence of pushed resources, clusters, links and status history. */
export interface GitOpsStore {
  /** Applies one push in one transaction; also records the agent's heartbeat. */
  applyPush(
    identity: AgentIdentity,
    push: PushRequest,
    options: { now: number; resolveLink: LinkResolver },
  ): Promise<PushOutcome>;

  /** Marks the agent's cluster as seen (a command poll). No-op before its first push. */
  touchCluster(identity: AgentIdentity, now: number): Promise<void>;

  listResources(
    tenant: string,
    request: ResourcePageRequest,
  ): Promise<ResourcePage>;
  getFacets(tenant: string, filter: ResourceFilter): Promise<ResourceFacets>;
  getResource(
    tenant: string,
    id: string,
  ): Promise<StoredGitOpsResource | undefined>;
  getResourcesByEntity(
    tenant: string,
    entityRef: string,
  ): Promise<StoredGitOpsResource[]>;
  getHistory(
    tenant: string,
    resourceId: string,
    limit: number,
  ): Promise<StatusChange[]>;
  getStatusCounts(tenant: string): Promise<StatusCountRow[]>;

  listClusters(tenant: string): Promise<StoredCluster[]>;
  getCluster(tenant: string, name: string): Promise<StoredCluster | undefined>;

  setManualLink(
    tenant: string,
    id: string,
    link: { entityRef: string; linkedBy: string; now: number },
    resolveLink: LinkResolver,
  ): Promise<StoredGitOpsResource | undefined>;
  removeManualLink(
    tenant: string,
    id: string,
    resolveLink: LinkResolver,
  ): Promise<StoredGitOpsResource | undefined>;
  /** Re-evaluates the link of every resource; returns how many changed, and where. */
  relinkAll(
    resolveLink: LinkResolver,
  ): Promise<{ changed: number; clusters: string[] }>;

  /** Drops status history, staged parts and idle sessions older than the given instants. */
  prune(options: {
    historyBefore: number;
    stagedPartsBefore: number;
    sessionsBefore: number;
  }): Promise<void>;
}
