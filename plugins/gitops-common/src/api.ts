import type { ResourceChanges } from './resourceChanges';
import type {
  ClusterState,
  GitOpsKind,
  GitOpsResource,
  GitOpsTool,
  HealthStatus,
  LinkStatus,
  SyncStatus,
} from './model';
import type {
  AgentCapabilities,
  AgentKindStatus,
  CommandStatus,
  CommandType,
} from './protocol';
import type { RootCause } from './rootCause';

/*
 * Response shapes of the portal API (`/api/gitops/v1`). The backend's OpenAPI file
 * (plugins/gitops-backend/src/schema/openapi.yaml) is the authority; these mirror it.
 */

/** Filters of `GET /v1/resources` and `GET /v1/facets`; the values of one field are ORed. @public */
export interface ResourceFilter {
  tool?: GitOpsTool[];
  cluster?: string[];
  namespace?: string[];
  syncStatus?: SyncStatus[];
  healthStatus?: HealthStatus[];
  linked?: LinkStatus[];
  entityRef?: string[];
  /** Substring of name, namespace or source URL. */
  q?: string;
  /** The applied revision: a full or short SHA, or a tag (see revisionSearchForms). */
  revision?: string;
  drift?: boolean;
}

/** Filter fields that take repeated query parameters. @public */
export const RESOURCE_FILTER_LIST_FIELDS = [
  'tool',
  'cluster',
  'namespace',
  'syncStatus',
  'healthStatus',
  'linked',
  'entityRef',
] as const;

/** Sortable fields of the resource list. @public */
export const RESOURCE_SORT_FIELDS = [
  'name',
  'kind',
  'cluster',
  'namespace',
  'syncStatus',
  'healthStatus',
  'lastSyncedAt',
  'observedAt',
] as const;

/** @public */
export type ResourceSortField = (typeof RESOURCE_SORT_FIELDS)[number];

/** How a stored resource is linked to the catalog. @public */
export interface ResourceLink {
  status: LinkStatus;
  /** The linked entity, e.g. `component:default/checkout-api`; null when unlinked or ambiguous. */
  entityRef: string | null;
  /** The equally good candidates when the status is `ambiguous`. */
  candidates: string[];
}

/** A stored resource as the portal sees it. @public */
export interface GitOpsResourceView extends GitOpsResource {
  /** Opaque, stable id. */
  id: string;
  cluster: string;
  clusterState: ClusterState;
  link: ResourceLink;
  /** When the backend last received this record. */
  observedAt: string;
  /** What blocks it, followed down its chain of sources and dependencies; null if nothing known. */
  rootCause: RootCause | null;
  /**
   * True when the cluster's agent of its tool reports it cannot watch its kind: what is
   * shown may be out of date even while the agent's heartbeats are fresh.
   */
  stale: boolean;
}

/** @public */
export interface ResourceListResponse {
  items: GitOpsResourceView[];
  totalCount: number;
  nextCursor: string | null;
}

/** @public */
export interface FacetCount {
  value: string;
  count: number;
}

/** Distinct values of the filterable fields, with counts. @public */
export interface ResourceFacets {
  tool: FacetCount[];
  cluster: FacetCount[];
  namespace: FacetCount[];
  syncStatus: FacetCount[];
  healthStatus: FacetCount[];
  linkStatus: FacetCount[];
}

/** @public */
export interface GitOpsStats {
  total: number;
  synced: number;
  outOfSync: number;
  /** Resources whose health is Degraded. */
  failed: number;
  suspended: number;
  unknownSync: number;
  drifted: number;
  byTool: Record<GitOpsTool, number>;
  bySyncStatus: Record<SyncStatus, number>;
  byHealthStatus: Record<HealthStatus, number>;
  computedAt: string;
}

/** One recorded change of sync status, health status or revision. @public */
export interface StatusChange {
  at: string;
  syncStatus: SyncStatus;
  healthStatus: HealthStatus;
  revision: string | null;
}

/** @public */
export interface GitOpsResourceDetail extends GitOpsResourceView {
  history: StatusChange[];
}

/** @public */
export interface ClusterView {
  name: string;
  /** The state of the cluster's most recently seen agent. */
  state: ClusterState;
  lastSeenAt: string;
  /** The cluster's most recent refused push, of any of its agents; null once each has applied one. */
  lastRefusedPush: RefusedPushView | null;
  /** One agent per tool watching the cluster (an ArgoCD and a Flux agent may share one), by tool. */
  agents: ClusterAgentView[];
}

/** What one tool's agent of a cluster last reported, and its freshness. @public */
export interface ClusterAgentView {
  tool: GitOpsTool;
  version: string;
  session: string;
  capabilities: AgentCapabilities;
  state: ClusterState;
  lastSeenAt: string;
  /** How it watches each kind, as it last reported; null from agents that do not report it. */
  kinds: AgentKindStatus[] | null;
  /** The last push of this agent the backend refused; null once one of its pushes is applied. */
  lastRefusedPush: RefusedPushView | null;
}

/** A refused push: the HTTP status, the reason and when (RFC 3339). @public */
export interface RefusedPushView {
  status: number;
  message: string;
  at: string;
}

/** The kinds an agent reports it cannot watch, so stored objects of them may be out of date. @public */
export function staleKindsOf(
  agent: { kinds?: readonly AgentKindStatus[] | null } | undefined,
): AgentKindStatus[] {
  return (agent?.kinds ?? []).filter(k => k.state === 'stale');
}

/** Whether the agent reports it cannot watch `kind` (an agent that reports no kinds: false). @public */
export function isKindStale(
  agent: { kinds?: readonly AgentKindStatus[] | null } | undefined,
  kind: GitOpsKind,
): boolean {
  return staleKindsOf(agent).some(k => k.kind === kind);
}

/** The agent of a cluster that watches the given tool, if one has reported. @public */
export function clusterAgentOf(
  cluster: Pick<ClusterView, 'agents'> | undefined,
  tool: GitOpsTool,
): ClusterAgentView | undefined {
  return cluster?.agents.find(a => a.tool === tool);
}

/** A command in the ledger. @public */
export interface GitOpsCommandView {
  id: string;
  resourceId: string;
  type: CommandType;
  hard: boolean;
  status: CommandStatus;
  requestedBy: string;
  requestedAt: string;
  deliveredAt: string | null;
  finishedAt: string | null;
  expiresAt: string;
  message: string | null;
}

/** Signal channel on which the backend announces changes. @public */
export const GITOPS_SIGNAL_CHANNEL = 'gitops:changes';

/**
 * Message published on {@link GITOPS_SIGNAL_CHANNEL}: resources changed (coalesced, see
 * {@link ResourceChanges}), or a command moved. @public
 */
export type GitOpsSignal =
  | ({ type: 'resources' } & ResourceChanges)
  | {
      type: 'command';
      commandId: string;
      resourceId: string;
      status: CommandStatus;
    };
