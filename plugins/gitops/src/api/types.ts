import type {
  CommandType,
  GitOpsTool,
  HealthStatus,
  LinkStatus,
  SyncStatus,
} from '@shoehorn/plugin-gitops-common';

/** Filters of `GET /v1/resources` and `GET /v1/facets`; values of one field are ORed. @public */
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
  drift?: boolean;
}

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

/** A sort field, prefixed with `-` for descending order. @public */
export type ResourceSort = ResourceSortField | `-${ResourceSortField}`;

/** @public */
export interface ResourceListRequest extends ResourceFilter {
  limit?: number;
  cursor?: string | null;
  sort?: ResourceSort;
}

/** @public */
export interface CommandRequest {
  type: CommandType;
  hard?: boolean;
}
