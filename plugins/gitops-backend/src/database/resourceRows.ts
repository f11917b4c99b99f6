import { createHash } from 'node:crypto';
import type {
  GitOpsKind,
  GitOpsResource,
  GitOpsResourceKey,
  GitOpsTool,
  HealthStatus,
  LinkStatus,
  Readiness,
  ResourceLink,
  SyncStatus,
} from '@shoehorn/plugin-gitops-common';
import type { StoredGitOpsResource } from './types';

/** A row of gitops_resources. */
export interface ResourceRow {
  id: string;
  tenant: string;
  cluster: string;
  tool: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  sync_status: string;
  health_status: string;
  source_url: string | null;
  source_path: string | null;
  source_chart: string | null;
  revision: string | null;
  target_revision: string | null;
  auto_sync: boolean | number;
  suspended: boolean | number;
  last_synced_at: number | string | null;
  drift_detected: boolean | number;
  drift_reason: string | null;
  entity_annotation: string | null;
  message: string | null;
  /** JSON of the resource's readiness, null when its agent did not report one. */
  readiness: string | null;
  link_status: string;
  link_entity_ref: string | null;
  link_candidates: string;
  search_text: string;
  content_hash: string;
  observed_at: number | string;
}

/** Columns written on upsert besides the natural key and id. */
export const MUTABLE_RESOURCE_COLUMNS = [
  'uid',
  'sync_status',
  'health_status',
  'source_url',
  'source_path',
  'source_chart',
  'revision',
  'target_revision',
  'auto_sync',
  'suspended',
  'last_synced_at',
  'drift_detected',
  'drift_reason',
  'entity_annotation',
  'message',
  'readiness',
  'link_status',
  'link_entity_ref',
  'link_candidates',
  'search_text',
  'content_hash',
  'observed_at',
] as const;

export const RESOURCE_KEY_COLUMNS = [
  'tenant',
  'cluster',
  'tool',
  'kind',
  'namespace',
  'name',
] as const;

/** What only writes use: the search text and the hash that detects an unchanged resource. */
const WRITE_ONLY_COLUMNS: ReadonlyArray<string> = [
  'search_text',
  'content_hash',
];

/** A row as reads select it. */
export type StoredResourceRow = Omit<
  ResourceRow,
  'search_text' | 'content_hash'
>;

/** The columns reads select: the database then sends no search text or hash per row. */
export const STORED_RESOURCE_COLUMNS = [
  'id',
  ...RESOURCE_KEY_COLUMNS,
  ...MUTABLE_RESOURCE_COLUMNS.filter(c => !WRITE_ONLY_COLUMNS.includes(c)),
];

export function keyOf(key: GitOpsResourceKey): string {
  return `${key.tool}\u0000${key.kind}\u0000${key.namespace}\u0000${key.name}`;
}

export function toEpochMs(value: number | string | null): number | null {
  if (value === null || value === undefined) {
    return null;
  }
  return typeof value === 'number' ? value : Number(value);
}

function toIso(value: number | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

/** Hash of everything a push can change, so unchanged rows are not rewritten. */
export function contentHash(
  resource: GitOpsResource,
  link: ResourceLink,
): string {
  const lastSyncedAt =
    resource.lastSyncedAt === null
      ? null
      : new Date(Date.parse(resource.lastSyncedAt)).toISOString();
  return createHash('sha1')
    .update(
      JSON.stringify([
        { ...resource, lastSyncedAt },
        link.status,
        link.entityRef,
        link.candidates,
      ]),
    )
    .digest('hex');
}

export function searchTextOf(resource: GitOpsResource): string {
  return [resource.name, resource.namespace, resource.source.url ?? '']
    .join('\n')
    .toLowerCase();
}

export function resourceToRow(
  base: { id: string; tenant: string; cluster: string; observedAt: number },
  resource: GitOpsResource,
  link: ResourceLink,
  /** The row's content hash when the caller already computed it. */
  hash: string = contentHash(resource, link),
): ResourceRow {
  return {
    id: base.id,
    tenant: base.tenant,
    cluster: base.cluster,
    tool: resource.tool,
    kind: resource.kind,
    namespace: resource.namespace,
    name: resource.name,
    uid: resource.uid,
    sync_status: resource.syncStatus,
    health_status: resource.healthStatus,
    source_url: resource.source.url,
    source_path: resource.source.path,
    source_chart: resource.source.chart,
    revision: resource.revision,
    target_revision: resource.targetRevision,
    auto_sync: resource.autoSync,
    suspended: resource.suspended,
    last_synced_at:
      resource.lastSyncedAt === null ? null : Date.parse(resource.lastSyncedAt),
    drift_detected: resource.drift.detected,
    drift_reason: resource.drift.reason,
    entity_annotation: resource.entityAnnotation,
    message: resource.message,
    readiness:
      resource.readiness === undefined
        ? null
        : JSON.stringify(resource.readiness),
    link_status: link.status,
    link_entity_ref: link.entityRef,
    link_candidates: JSON.stringify(link.candidates),
    search_text: searchTextOf(resource),
    content_hash: hash,
    observed_at: base.observedAt,
  };
}

/**
 * The wire resource of a row. lastSyncedAt is re-rendered in UTC, the one place the
 * stored value differs from the pushed text (the instant is the same).
 */
export function rowToResource(row: StoredResourceRow): GitOpsResource {
  const readiness =
    row.readiness === null || row.readiness === undefined
      ? undefined
      : (JSON.parse(row.readiness) as Readiness);
  return {
    tool: row.tool as GitOpsTool,
    kind: row.kind as GitOpsKind,
    namespace: row.namespace,
    name: row.name,
    uid: row.uid,
    syncStatus: row.sync_status as SyncStatus,
    healthStatus: row.health_status as HealthStatus,
    source: {
      url: row.source_url,
      path: row.source_path,
      chart: row.source_chart,
    },
    revision: row.revision,
    targetRevision: row.target_revision,
    autoSync: Boolean(row.auto_sync),
    suspended: Boolean(row.suspended),
    lastSyncedAt: toIso(toEpochMs(row.last_synced_at)),
    drift: { detected: Boolean(row.drift_detected), reason: row.drift_reason },
    entityAnnotation: row.entity_annotation,
    message: row.message,
    ...(readiness && { readiness }),
  };
}

export function rowToLink(row: StoredResourceRow): ResourceLink {
  return {
    status: row.link_status as LinkStatus,
    entityRef: row.link_entity_ref,
    candidates: JSON.parse(row.link_candidates) as string[],
  };
}

export function rowToStored(row: StoredResourceRow): StoredGitOpsResource {
  return {
    ...rowToResource(row),
    id: row.id,
    tenant: row.tenant,
    cluster: row.cluster,
    link: rowToLink(row),
    observedAt: toEpochMs(row.observed_at) ?? 0,
  };
}

export function sameLink(a: ResourceLink, b: ResourceLink): boolean {
  return (
    a.status === b.status &&
    a.entityRef === b.entityRef &&
    a.candidates.length === b.candidates.length &&
    a.candidates.every((c, i) => c === b.candidates[i])
  );
}
