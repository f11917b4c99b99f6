import type {
  FacetCount,
  GitOpsResourceKey,
  GitOpsTool,
  HealthStatus,
  ResourceFacets,
  StatusChange,
  SyncStatus,
} from '@shoehorn/plugin-gitops-common';
import type { Knex } from 'knex';
import {
  applyResourceFilter,
  applySortAndCursor,
  encodeCursor,
  facetColumn,
  FilterField,
} from './resourceQuery';
import { chunks } from './batches';
import {
  rowToStored,
  STORED_RESOURCE_COLUMNS,
  toEpochMs,
} from './resourceRows';
import type {
  ResourceFilter,
  ResourcePage,
  ResourcePageRequest,
  StatusCountRow,
  StoredGitOpsResource,
} from './types';

/** Each facet of the resource list, and the filter field it counts. */
const FACET_FIELDS: Array<[keyof ResourceFacets, FilterField]> = [
  ['tool', 'tool'],
  ['cluster', 'cluster'],
  ['namespace', 'namespace'],
  ['syncStatus', 'syncStatus'],
  ['healthStatus', 'healthStatus'],
  ['linkStatus', 'linked'],
];

const STATUS_COUNT_COLUMNS = [
  'tool',
  'sync_status',
  'health_status',
  'drift_detected',
  'suspended',
] as const;

/** Keys per lookup query: five bound values each, well under every client's limit. */
const KEY_BATCH = 150;

/** Reads of stored resources: the paged list, its facets, by entity, history and counts. */
export class ResourceQueryStore {
  constructor(private readonly db: Knex) {}

  async list(
    tenant: string,
    request: ResourcePageRequest,
  ): Promise<ResourcePage> {
    const page = applySortAndCursor(
      applyResourceFilter(
        this.db('gitops_resources').select('*'),
        tenant,
        request.filter,
      ),
      request.sort,
      request.cursor,
    ).limit(request.limit + 1);
    const total = applyResourceFilter(
      this.db('gitops_resources'),
      tenant,
      request.filter,
    )
      .count({ count: '*' })
      .first();
    const [rows, totalRow] = await Promise.all([page, total]);
    const hasMore = rows.length > request.limit;
    const items: any[] = rows.slice(0, request.limit);
    return {
      items: items.map(r => rowToStored(r)),
      totalCount: Number(totalRow?.count ?? 0),
      nextCursor:
        hasMore && items.length > 0
          ? encodeCursor(request.sort, items[items.length - 1])
          : null,
    };
  }

  /** Counts per value of each facet, under the filter minus the facet's own field. */
  async facets(
    tenant: string,
    filter: ResourceFilter,
  ): Promise<ResourceFacets> {
    const results = await Promise.all(
      FACET_FIELDS.map(async ([, field]) => {
        const column = facetColumn(field);
        const rows = await applyResourceFilter(
          this.db('gitops_resources'),
          tenant,
          filter,
          field,
        )
          .select({ value: column })
          .count({ count: '*' })
          .groupBy(column);
        return (rows as any[])
          .map(r => ({ value: String(r.value), count: Number(r.count) }))
          .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
      }),
    );
    const facets = {} as Record<keyof ResourceFacets, FacetCount[]>;
    FACET_FIELDS.forEach(([name], i) => {
      facets[name] = results[i];
    });
    return facets;
  }

  async get(
    tenant: string,
    id: string,
  ): Promise<StoredGitOpsResource | undefined> {
    const row = await this.db('gitops_resources')
      .first(STORED_RESOURCE_COLUMNS)
      .where({ tenant, id });
    return row ? rowToStored(row) : undefined;
  }

  async byEntity(
    tenant: string,
    entityRef: string,
  ): Promise<StoredGitOpsResource[]> {
    const rows = await this.db('gitops_resources')
      .select(STORED_RESOURCE_COLUMNS)
      .where({ tenant, link_entity_ref: entityRef.toLowerCase() })
      .orderBy([
        { column: 'cluster' },
        { column: 'namespace' },
        { column: 'name' },
        { column: 'id' },
      ]);
    return rows.map(r => rowToStored(r));
  }

  /** The stored resources with the given keys in their clusters; unknown keys are left out. */
  async byKeys(
    tenant: string,
    keys: Array<GitOpsResourceKey & { cluster: string }>,
  ): Promise<StoredGitOpsResource[]> {
    const found: StoredGitOpsResource[] = [];
    for (const batch of chunks(keys, KEY_BATCH)) {
      const rows = await this.db('gitops_resources')
        .select(STORED_RESOURCE_COLUMNS)
        .where({ tenant })
        .whereIn(
          ['cluster', 'tool', 'kind', 'namespace', 'name'],
          batch.map(k => [k.cluster, k.tool, k.kind, k.namespace, k.name]),
        );
      found.push(...rows.map(r => rowToStored(r)));
    }
    return found;
  }

  /** The newest status changes of a resource first. */
  async history(
    tenant: string,
    resourceId: string,
    limit: number,
  ): Promise<StatusChange[]> {
    const rows = await this.db('gitops_status_history')
      .where({ tenant, resource_id: resourceId })
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(r => ({
      at: new Date(toEpochMs(r.at) ?? 0).toISOString(),
      syncStatus: r.sync_status as SyncStatus,
      healthStatus: r.health_status as HealthStatus,
      revision: r.revision,
    }));
  }

  async statusCounts(tenant: string): Promise<StatusCountRow[]> {
    const rows = await this.db('gitops_resources')
      .where({ tenant })
      .select(...STATUS_COUNT_COLUMNS)
      .count({ count: '*' })
      .groupBy(...STATUS_COUNT_COLUMNS);
    return (rows as any[]).map(r => ({
      tool: r.tool as GitOpsTool,
      syncStatus: r.sync_status as SyncStatus,
      healthStatus: r.health_status as HealthStatus,
      driftDetected: Boolean(r.drift_detected),
      suspended: Boolean(r.suspended),
      count: Number(r.count),
    }));
  }

  /** Drops status history recorded before the given instant. */
  async pruneHistory(before: number): Promise<void> {
    await this.db('gitops_status_history').where('at', '<', before).delete();
  }
}
