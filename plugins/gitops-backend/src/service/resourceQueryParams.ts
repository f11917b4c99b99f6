import { InputError } from '@backstage/errors';
import {
  RESOURCE_FILTER_LIST_FIELDS,
  RESOURCE_SORT_FIELDS,
  type ResourceFilter,
  type ResourceSortField,
} from '@shoehorn/plugin-gitops-common';
import type { ResourcePageRequest } from '../database/types';

function asList(value: unknown): string[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  const values = (Array.isArray(value) ? value : [value]).map(String);
  return values.length > 0 ? values : undefined;
}

/** The filter of a list or facets query (already validated against the OpenAPI schema). */
export function parseResourceFilter(
  query: Record<string, unknown>,
): ResourceFilter {
  const lists: Record<string, string[]> = {};
  for (const field of RESOURCE_FILTER_LIST_FIELDS) {
    const values = asList(query[field]);
    if (values) {
      lists[field] = values;
    }
  }
  // Enum values were checked by the OpenAPI validator before the handler ran.
  const filter = lists as ResourceFilter;
  if (typeof query.q === 'string' && query.q.length > 0) {
    filter.q = query.q;
  }
  if (typeof query.revision === 'string' && query.revision.length > 0) {
    filter.revision = query.revision;
  }
  if (query.drift === 'true' || query.drift === 'false') {
    filter.drift = query.drift === 'true';
  }
  return filter;
}

export function parseResourcePage(
  query: Record<string, unknown>,
): ResourcePageRequest {
  const sortText = typeof query.sort === 'string' ? query.sort : 'name';
  const descending = sortText.startsWith('-');
  const field = (
    descending ? sortText.slice(1) : sortText
  ) as ResourceSortField;
  if (!RESOURCE_SORT_FIELDS.includes(field)) {
    throw new InputError(`sort: unknown field ${field}`);
  }
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new InputError('limit: must be an integer from 1 to 500');
  }
  return {
    filter: parseResourceFilter(query),
    sort: { field, descending },
    limit,
    cursor:
      typeof query.cursor === 'string' && query.cursor
        ? query.cursor
        : undefined,
  };
}
