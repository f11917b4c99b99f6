import type {
  GitOpsResource,
  GitOpsResourceKey,
  GitOpsTool,
} from '@shoehorn/plugin-gitops-common';
import { v4 as uuid } from 'uuid';
import type { ObservedChange } from '../history/DeploymentStore';
import type { AgentIdentity } from '../service/agentIdentity';
import { contentHash, keyOf, ResourceRow, resourceToRow } from './resourceRows';
import type { LinkResolver } from './types';

/** What change detection reads of a stored resource. */
export const EXISTING_COLUMNS = [
  'id',
  'tool',
  'kind',
  'namespace',
  'name',
  'content_hash',
  'sync_status',
  'health_status',
  'revision',
  'target_revision',
  'link_entity_ref',
] as const;

export interface ExistingResource {
  id: string;
  tool: string;
  kind: string;
  namespace: string;
  name: string;
  content_hash: string;
  sync_status: string;
  health_status: string;
  revision: string | null;
  target_revision: string | null;
  link_entity_ref: string | null;
}

export interface HistoryRow {
  tenant: string;
  resource_id: string;
  at: number;
  sync_status: string;
  health_status: string;
  revision: string | null;
}

export type IngestScope = AgentIdentity & { tool: GitOpsTool };

/** The writes an upsert set needs: changed rows, ids only to touch, status history. */
export interface UpsertPlan {
  changedRows: ResourceRow[];
  unchangedIds: string[];
  history: HistoryRow[];
  /** What deployment tracking reads of each changed row. */
  observed: ObservedChange[];
}

/** One entry per key; of repeated keys the last wins, as the agent meant. */
export function lastWins<T extends GitOpsResourceKey>(items: T[]): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    byKey.set(keyOf(item), item);
  }
  return [...byKey.values()];
}

/** Compares incoming resources with what is stored; a status change adds a history row. */
export function planUpserts(options: {
  scope: IngestScope;
  incoming: GitOpsResource[];
  existing: Map<string, ExistingResource>;
  manualLinks: Map<string, string>;
  now: number;
  resolveLink: LinkResolver;
}): UpsertPlan {
  const { scope, existing, manualLinks, now, resolveLink } = options;
  const plan: UpsertPlan = {
    changedRows: [],
    unchangedIds: [],
    history: [],
    observed: [],
  };
  for (const resource of options.incoming) {
    const key = keyOf(resource);
    const link = resolveLink(resource, manualLinks.get(key));
    const previous = existing.get(key);
    const hash = contentHash(resource, link);
    if (previous && previous.content_hash === hash) {
      plan.unchangedIds.push(previous.id);
      continue;
    }
    const row = resourceToRow(
      {
        id: previous?.id ?? uuid(),
        tenant: scope.tenant,
        cluster: scope.cluster,
        observedAt: now,
      },
      resource,
      link,
      hash,
    );
    plan.changedRows.push(row);
    plan.observed.push(observedChange(row, previous));
    if (
      !previous ||
      previous.sync_status !== row.sync_status ||
      previous.health_status !== row.health_status ||
      previous.revision !== row.revision
    ) {
      plan.history.push({
        tenant: scope.tenant,
        resource_id: row.id,
        at: now,
        sync_status: row.sync_status,
        health_status: row.health_status,
        revision: row.revision,
      });
    }
  }
  return plan;
}

function observedChange(
  row: ResourceRow,
  previous: ExistingResource | undefined,
): ObservedChange {
  return {
    tenant: row.tenant,
    resourceId: row.id,
    cluster: row.cluster,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    entityRef: row.link_entity_ref,
    sourceUrl: row.source_url,
    previous: previous && {
      syncStatus: previous.sync_status,
      healthStatus: previous.health_status,
      revision: previous.revision,
      targetRevision: previous.target_revision,
    },
    current: {
      syncStatus: row.sync_status,
      healthStatus: row.health_status,
      revision: row.revision,
      targetRevision: row.target_revision,
    },
  };
}
