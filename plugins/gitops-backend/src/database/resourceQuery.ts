import { InputError } from '@backstage/errors';
import {
  revisionSearchForms,
  toStorableText,
} from '@shoehorn/plugin-gitops-common';
import { Knex } from 'knex';
import type { ResourceFilter, ResourceSort, ResourceSortField } from './types';

/** SQL expression each sort field orders by; nulls sort as the smallest value. */
const SORT_EXPRESSIONS: Record<ResourceSortField, string> = {
  name: 'name',
  kind: 'kind',
  cluster: 'cluster',
  namespace: 'namespace',
  syncStatus: 'sync_status',
  healthStatus: 'health_status',
  lastSyncedAt: 'coalesce(last_synced_at, -1)',
  observedAt: 'observed_at',
};

const NUMERIC_SORT_FIELDS: ResourceSortField[] = ['lastSyncedAt', 'observedAt'];

export type FilterField = keyof Omit<
  ResourceFilter,
  'q' | 'drift' | 'revision'
>;

const FILTER_COLUMNS: Record<FilterField, string> = {
  tool: 'tool',
  cluster: 'cluster',
  namespace: 'namespace',
  syncStatus: 'sync_status',
  healthStatus: 'health_status',
  linked: 'link_status',
  entityRef: 'link_entity_ref',
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, c => `\\${c}`);
}

/** Applies the tenant scope and filters; `omit` leaves one field out (for its facet). */
export function applyResourceFilter(
  query: Knex.QueryBuilder,
  tenant: string,
  filter: ResourceFilter,
  omit?: FilterField,
): Knex.QueryBuilder {
  query.where('tenant', tenant);
  for (const field of Object.keys(FILTER_COLUMNS) as FilterField[]) {
    const values = filter[field];
    if (field !== omit && values && values.length > 0) {
      const normalized =
        field === 'entityRef' ? values.map(v => v.toLowerCase()) : values;
      query.whereIn(FILTER_COLUMNS[field], normalized);
    }
  }
  if (filter.drift !== undefined) {
    query.where('drift_detected', filter.drift);
  }
  if (filter.revision) {
    const forms = revisionSearchForms(filter.revision);
    query.where(q => {
      q.whereRaw('lower(revision) = ?', [forms.equals]);
      for (const prefix of forms.startsWith) {
        q.orWhereRaw(`lower(revision) like ? escape '\\'`, [
          `${escapeLike(prefix)}%`,
        ]);
      }
      for (const part of forms.contains) {
        q.orWhereRaw(`lower(revision) like ? escape '\\'`, [
          `%${escapeLike(part)}%`,
        ]);
      }
    });
  }
  if (filter.q) {
    query.whereRaw(`search_text like ? escape '\\'`, [
      `%${escapeLike(filter.q.toLowerCase())}%`,
    ]);
  }
  return query;
}

export function facetColumn(field: FilterField): string {
  return FILTER_COLUMNS[field];
}

function isStorableText(text: string): boolean {
  return toStorableText(text) === text;
}

interface CursorPayload {
  s: string;
  v: string | number;
  id: string;
}

function sortKey(sort: ResourceSort): string {
  return `${sort.descending ? '-' : ''}${sort.field}`;
}

export function encodeCursor(
  sort: ResourceSort,
  row: Record<string, unknown>,
): string {
  const value = row.sort_value;
  const payload: CursorPayload = {
    s: sortKey(sort),
    v: NUMERIC_SORT_FIELDS.includes(sort.field) ? Number(value) : String(value),
    id: String(row.id),
  };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

function decodeCursor(sort: ResourceSort, cursor: string): CursorPayload {
  let payload: CursorPayload;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InputError('cursor: not a cursor returned by this API');
  }
  const numeric = NUMERIC_SORT_FIELDS.includes(sort.field);
  // Only values this API could have issued: safe integers (epoch ms) and storable text.
  if (
    typeof payload !== 'object' ||
    payload === null ||
    typeof payload.id !== 'string' ||
    !isStorableText(payload.id) ||
    (numeric
      ? !Number.isSafeInteger(payload.v)
      : typeof payload.v !== 'string' || !isStorableText(payload.v))
  ) {
    throw new InputError('cursor: not a cursor returned by this API');
  }
  if (payload.s !== sortKey(sort)) {
    throw new InputError(
      `cursor: was issued for sort ${payload.s}, not ${sortKey(sort)}`,
    );
  }
  return payload;
}

/** Orders by the sort field then id, and starts after the cursor (keyset paging). */
export function applySortAndCursor(
  query: Knex.QueryBuilder,
  sort: ResourceSort,
  cursor: string | undefined,
): Knex.QueryBuilder {
  const expression = SORT_EXPRESSIONS[sort.field];
  const direction = sort.descending ? 'desc' : 'asc';
  const comparator = sort.descending ? '<' : '>';
  query.select(query.client.raw(`${expression} as sort_value`));
  if (cursor) {
    const { v, id } = decodeCursor(sort, cursor);
    query.whereRaw(
      `(${expression} ${comparator} ? or (${expression} = ? and id ${comparator} ?))`,
      [v, v, id],
    );
  }
  query.orderByRaw(`${expression} ${direction}, id ${direction}`);
  return query;
}
