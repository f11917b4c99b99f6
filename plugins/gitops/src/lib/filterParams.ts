import {
  GITOPS_TOOLS,
  HEALTH_STATUSES,
  LINK_STATUSES,
  SYNC_STATUSES,
} from '@shoehorn/plugin-gitops-common';
import {
  RESOURCE_SORT_FIELDS,
  ResourceFilter,
  ResourceSort,
} from '../api/types';
import { filterQuery } from '../api/GitOpsClient';

/** What the GitOps page keeps in its URL so a filtered view can be shared. */
export interface PageQuery {
  filter: ResourceFilter;
  sort: ResourceSort;
  limit: number;
}

const DRIFT_VALUES = new Map<string | null, boolean>([
  ['true', true],
  ['false', false],
]);

export const DEFAULT_SORT: ResourceSort = 'name';
export const PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

function allowed<T extends string>(
  values: string[],
  domain: readonly T[],
): T[] | undefined {
  const kept = values.filter((v): v is T =>
    (domain as readonly string[]).includes(v),
  );
  return kept.length ? kept : undefined;
}

function strings(values: string[]): string[] | undefined {
  const kept = values.filter(v => v.length > 0);
  return kept.length ? kept : undefined;
}

/** Reads the page query from the URL; unknown values are dropped. */
export function readPageQuery(params: URLSearchParams): PageQuery {
  const filter: ResourceFilter = {
    tool: allowed(params.getAll('tool'), GITOPS_TOOLS),
    cluster: strings(params.getAll('cluster')),
    namespace: strings(params.getAll('namespace')),
    syncStatus: allowed(params.getAll('syncStatus'), SYNC_STATUSES),
    healthStatus: allowed(params.getAll('healthStatus'), HEALTH_STATUSES),
    linked: allowed(params.getAll('linked'), LINK_STATUSES),
    q: params.get('q') || undefined,
    revision: params.get('revision') || undefined,
    drift: DRIFT_VALUES.get(params.get('drift')),
  };
  const rawSort = params.get('sort') ?? DEFAULT_SORT;
  const sortField = rawSort.replace(/^-/, '');
  const sort = (RESOURCE_SORT_FIELDS as readonly string[]).includes(sortField)
    ? (rawSort as ResourceSort)
    : DEFAULT_SORT;
  const rawLimit = Number(params.get('limit'));
  const limit = (PAGE_SIZES as readonly number[]).includes(rawLimit)
    ? rawLimit
    : DEFAULT_PAGE_SIZE;
  return { filter, sort, limit };
}

/** Writes the page query back; defaults are left out to keep URLs short. */
export function writePageQuery(query: PageQuery): URLSearchParams {
  const params = filterQuery(query.filter);
  if (query.sort !== DEFAULT_SORT) {
    params.set('sort', query.sort);
  }
  if (query.limit !== DEFAULT_PAGE_SIZE) {
    params.set('limit', String(query.limit));
  }
  return params;
}

/** True when any filter narrows the list. */
export function isFiltered(filter: ResourceFilter): boolean {
  return Object.values(filter).some(v =>
    Array.isArray(v) ? v.length > 0 : v !== undefined && v !== '',
  );
}
