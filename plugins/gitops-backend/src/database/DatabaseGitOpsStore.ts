import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type {
  AgentCapabilities,
  FacetCount,
  GitOpsResource,
  GitOpsResourceKey,
  GitOpsTool,
  HealthStatus,
  PushRequest,
  ResourceFacets,
  StatusChange,
  SyncStatus,
} from '@shoehorn/plugin-gitops-common';
import { Knex } from 'knex';
import { v4 as uuid } from 'uuid';
import { DeploymentStore, ObservedChange } from '../history/DeploymentStore';
import type {
  AgentIdentity,
  GitOpsStore,
  LinkResolver,
  PushOutcome,
  ResourceFilter,
  ResourcePage,
  ResourcePageRequest,
  StatusCountRow,
  StoredCluster,
  StoredGitOpsResource,
} from './GitOpsStore';
import {
  applyResourceFilter,
  applySortAndCursor,
  encodeCursor,
  facetColumn,
  FilterField,
} from './resourceQuery';
import {
  contentHash,
  keyOf,
  MUTABLE_RESOURCE_COLUMNS,
  RESOURCE_KEY_COLUMNS,
  ResourceRow,
  resourceToRow,
  rowToLink,
  rowToResource,
  rowToStored,
  sameLink,
  toEpochMs,
} from './resourceRows';

const migrationsDir = resolvePackagePath(
  '@shoehorn/plugin-gitops-backend',
  'migrations',
);

/**
 * Rows per multi-row insert. SQLite writes one as a compound SELECT, capped at 500 terms;
 * PostgreSQL only has to stay under its 65535 bind parameters.
 */
const ROWS_PER_INSERT = { sqlite: 500, pg: 1000 };
const ID_CHUNK = 500;
/** Resources read per page when every link is re-evaluated. */
const RELINK_PAGE = 1000;

/** What change detection reads of a stored resource. */
const EXISTING_COLUMNS = [
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
] as const;

interface ExistingResource {
  id: string;
  kind: string;
  namespace: string;
  name: string;
  tool: string;
  content_hash: string;
  sync_status: string;
  health_status: string;
  revision: string | null;
  target_revision: string | null;
}

interface HistoryRow {
  tenant: string;
  resource_id: string;
  at: number;
  sync_status: string;
  health_status: string;
  revision: string | null;
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}

function lastWins<T extends GitOpsResourceKey>(items: T[]): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    byKey.set(keyOf(item), item);
  }
  return [...byKey.values()];
}

function clusterFromRow(row: any): StoredCluster {
  return {
    tenant: row.tenant,
    name: row.name,
    agentSubject: row.agent_subject,
    agentVersion: row.agent_version,
    agentSession: row.agent_session,
    agentTool: row.agent_tool as GitOpsTool,
    capabilities: JSON.parse(row.capabilities) as AgentCapabilities,
    lastSeenAt: toEpochMs(row.last_seen_at) ?? 0,
  };
}

/** The Knex (SQLite / PostgreSQL) implementation of {@link GitOpsStore}. */
export class DatabaseGitOpsStore implements GitOpsStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseGitOpsStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseGitOpsStore(client);
  }

  constructor(
    private readonly db: Knex,
    private readonly deployments = new DeploymentStore(db),
  ) {}

  private get isPostgres(): boolean {
    return this.db.client.config.client === 'pg';
  }

  private get rowsPerInsert(): number {
    return this.isPostgres ? ROWS_PER_INSERT.pg : ROWS_PER_INSERT.sqlite;
  }

  async applyPush(
    identity: AgentIdentity,
    push: PushRequest,
    options: { now: number; resolveLink: LinkResolver },
  ): Promise<PushOutcome> {
    const { now, resolveLink } = options;
    return this.db.transaction(async tx => {
      await this.writeHeartbeat(tx, identity, push.agent, now);
      const lastSeq = await this.lockSession(
        tx,
        identity,
        push.agent.session,
        now,
      );
      if (push.seq <= lastSeq) {
        return { kind: 'stale' };
      }

      let upserts = push.upserts;
      let deletes = push.deletes;
      if (push.parts !== undefined && push.parts > 1) {
        const staged = await this.stagePart(tx, identity, push, now);
        if (!staged) {
          const received = await this.countParts(tx, identity, push);
          return { kind: 'pending', received, parts: push.parts };
        }
        upserts = staged.upserts;
        deletes = staged.deletes;
      }

      const scope = { ...identity, tool: push.agent.tool };
      const applied =
        push.type === 'snapshot'
          ? await this.applySnapshot(
              tx,
              scope,
              upserts,
              deletes,
              now,
              resolveLink,
            )
          : await this.applyDelta(
              tx,
              scope,
              upserts,
              deletes,
              now,
              resolveLink,
            );

      await tx('gitops_agent_sessions')
        .where({
          tenant: identity.tenant,
          cluster: identity.cluster,
          session: push.agent.session,
        })
        .update({ last_seq: push.seq, updated_at: now });
      return { kind: 'applied', applied };
    });
  }

  private async writeHeartbeat(
    tx: Knex.Transaction,
    identity: AgentIdentity,
    agent: PushRequest['agent'],
    now: number,
  ) {
    await tx('gitops_clusters')
      .insert({
        tenant: identity.tenant,
        name: identity.cluster,
        agent_subject: identity.subject,
        agent_version: agent.version,
        agent_session: agent.session,
        agent_tool: agent.tool,
        capabilities: JSON.stringify(agent.capabilities),
        last_seen_at: now,
      })
      .onConflict(['tenant', 'name'])
      .merge();
  }

  /** Returns the session's last applied seq, holding its row lock until commit. */
  private async lockSession(
    tx: Knex.Transaction,
    identity: AgentIdentity,
    session: string,
    now: number,
  ): Promise<number> {
    const key = { tenant: identity.tenant, cluster: identity.cluster, session };
    await tx('gitops_agent_sessions')
      .insert({ ...key, last_seq: -1, updated_at: now })
      .onConflict(['tenant', 'cluster', 'session'])
      .ignore();
    let query = tx('gitops_agent_sessions').where(key).first('last_seq');
    if (this.isPostgres) {
      query = query.forUpdate();
    }
    const row = await query;
    return Number(row?.last_seq ?? -1);
  }

  /** Stages a part; when the set is complete, returns all parts' content and clears them. */
  private async stagePart(
    tx: Knex.Transaction,
    identity: AgentIdentity,
    push: PushRequest,
    now: number,
  ): Promise<
    { upserts: GitOpsResource[]; deletes: GitOpsResourceKey[] } | undefined
  > {
    const sessionKey = {
      tenant: identity.tenant,
      cluster: identity.cluster,
      session: push.agent.session,
    };
    // Parts of an older snapshot of this session can never complete now.
    await tx('gitops_snapshot_parts')
      .where(sessionKey)
      .andWhere('seq', '<', push.seq)
      .delete();
    await tx('gitops_snapshot_parts')
      .insert({
        ...sessionKey,
        seq: push.seq,
        part: push.part,
        parts: push.parts,
        tool: push.agent.tool,
        upserts: JSON.stringify(push.upserts),
        deletes: JSON.stringify(push.deletes),
        received_at: now,
      })
      .onConflict(['tenant', 'cluster', 'session', 'seq', 'part'])
      .merge();
    const received = await this.countParts(tx, identity, push);
    if (received < push.parts!) {
      return undefined;
    }
    const rows = await tx('gitops_snapshot_parts')
      .where({ ...sessionKey, seq: push.seq })
      .andWhere('part', '<=', push.parts!)
      .orderBy('part')
      .select('upserts', 'deletes');
    await tx('gitops_snapshot_parts').where(sessionKey).delete();
    return {
      upserts: rows.flatMap(r => JSON.parse(r.upserts) as GitOpsResource[]),
      deletes: rows.flatMap(r => JSON.parse(r.deletes) as GitOpsResourceKey[]),
    };
  }

  private async countParts(
    tx: Knex.Transaction,
    identity: AgentIdentity,
    push: PushRequest,
  ): Promise<number> {
    const row = await tx('gitops_snapshot_parts')
      .where({
        tenant: identity.tenant,
        cluster: identity.cluster,
        session: push.agent.session,
        seq: push.seq,
      })
      .andWhere('part', '<=', push.parts ?? 1)
      .count({ count: '*' })
      .first();
    return Number(row?.count ?? 0);
  }

  private async applySnapshot(
    tx: Knex.Transaction,
    scope: AgentIdentity & { tool: GitOpsTool },
    upserts: GitOpsResource[],
    deletes: GitOpsResourceKey[],
    now: number,
    resolveLink: LinkResolver,
  ): Promise<number> {
    const existingRows: ExistingResource[] = await tx('gitops_resources')
      .where({ tenant: scope.tenant, cluster: scope.cluster, tool: scope.tool })
      .select(...EXISTING_COLUMNS);
    const existing = new Map(existingRows.map(r => [keyOf(r as any), r]));
    const incoming = lastWins(upserts);
    const incomingKeys = new Set(incoming.map(keyOf));
    const absentIds = existingRows
      .filter(r => !incomingKeys.has(keyOf(r as any)))
      .map(r => r.id);
    for (const ids of chunks(absentIds, ID_CHUNK)) {
      await tx('gitops_resources').whereIn('id', ids).delete();
    }
    // Changed rows are rewritten with the new observation time; unchanged ones only touched.
    await this.writeUpserts(tx, scope, incoming, existing, now, resolveLink);
    // A snapshot's explicit deletes of other tools are honoured too.
    const extraDeletes = deletes.filter(d => d.tool !== scope.tool);
    const deleted = await this.deleteKeys(tx, scope, extraDeletes);
    return incoming.length + absentIds.length + deleted;
  }

  private async applyDelta(
    tx: Knex.Transaction,
    scope: AgentIdentity & { tool: GitOpsTool },
    upserts: GitOpsResource[],
    deletes: GitOpsResourceKey[],
    now: number,
    resolveLink: LinkResolver,
  ): Promise<number> {
    const deleted = await this.deleteKeys(tx, scope, lastWins(deletes));
    const incoming = lastWins(upserts);
    const existing = new Map<string, ExistingResource>();
    const names = [...new Set(incoming.map(r => r.name))];
    for (const batch of chunks(names, ID_CHUNK)) {
      const rows: ExistingResource[] = await tx('gitops_resources')
        .where({
          tenant: scope.tenant,
          cluster: scope.cluster,
          tool: scope.tool,
        })
        .whereIn('name', batch)
        .select(...EXISTING_COLUMNS);
      for (const row of rows) {
        existing.set(keyOf(row as any), row);
      }
    }
    await this.writeUpserts(tx, scope, incoming, existing, now, resolveLink);
    return incoming.length + deleted;
  }

  private async deleteKeys(
    tx: Knex.Transaction,
    scope: AgentIdentity,
    keys: GitOpsResourceKey[],
  ): Promise<number> {
    let deleted = 0;
    for (const key of keys) {
      deleted += await tx('gitops_resources')
        .where({
          tenant: scope.tenant,
          cluster: scope.cluster,
          tool: key.tool,
          kind: key.kind,
          namespace: key.namespace,
          name: key.name,
        })
        .delete();
    }
    return deleted;
  }

  private async writeUpserts(
    tx: Knex.Transaction,
    scope: AgentIdentity & { tool: GitOpsTool },
    incoming: GitOpsResource[],
    existing: Map<string, ExistingResource>,
    now: number,
    resolveLink: LinkResolver,
  ) {
    if (incoming.length === 0) {
      return;
    }
    const manualLinks = await this.manualLinksOf(
      tx,
      scope.tenant,
      scope.cluster,
    );
    const changedRows: ResourceRow[] = [];
    const unchangedIds: string[] = [];
    const history: HistoryRow[] = [];
    const observed: ObservedChange[] = [];
    for (const resource of incoming) {
      const key = keyOf(resource);
      const link = resolveLink(resource, manualLinks.get(key));
      const previous = existing.get(key);
      const hash = contentHash(resource, link);
      if (previous && previous.content_hash === hash) {
        unchangedIds.push(previous.id);
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
      );
      changedRows.push(row);
      observed.push(observedChange(row, previous));
      if (
        !previous ||
        previous.sync_status !== row.sync_status ||
        previous.health_status !== row.health_status ||
        previous.revision !== row.revision
      ) {
        history.push({
          tenant: scope.tenant,
          resource_id: row.id,
          at: now,
          sync_status: row.sync_status,
          health_status: row.health_status,
          revision: row.revision,
        });
      }
    }
    for (const ids of chunks(unchangedIds, ID_CHUNK)) {
      await tx('gitops_resources')
        .whereIn('id', ids)
        .update({ observed_at: now });
    }
    for (const batch of chunks(changedRows, this.rowsPerInsert)) {
      await tx('gitops_resources')
        .insert(batch)
        .onConflict([...RESOURCE_KEY_COLUMNS])
        .merge([...MUTABLE_RESOURCE_COLUMNS]);
    }
    for (const batch of chunks(history, this.rowsPerInsert)) {
      await tx('gitops_status_history').insert(batch);
    }
    await this.deployments.track(tx, observed, now);
  }

  private async manualLinksOf(
    db: Knex | Knex.Transaction,
    tenant: string,
    cluster?: string,
  ): Promise<Map<string, string>> {
    const query = db('gitops_manual_links').where({ tenant });
    if (cluster !== undefined) {
      query.andWhere({ cluster });
    }
    const rows = await query.select();
    return new Map(
      rows.map(r => [
        cluster === undefined ? `${r.cluster}\u0000${keyOf(r)}` : keyOf(r),
        r.entity_ref as string,
      ]),
    );
  }

  async touchCluster(identity: AgentIdentity, now: number): Promise<void> {
    await this.db('gitops_clusters')
      .where({ tenant: identity.tenant, name: identity.cluster })
      .update({ last_seen_at: now });
  }

  async listResources(
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

  async getFacets(
    tenant: string,
    filter: ResourceFilter,
  ): Promise<ResourceFacets> {
    const fields: Array<[keyof ResourceFacets, FilterField]> = [
      ['tool', 'tool'],
      ['cluster', 'cluster'],
      ['namespace', 'namespace'],
      ['syncStatus', 'syncStatus'],
      ['healthStatus', 'healthStatus'],
      ['linkStatus', 'linked'],
    ];
    const results = await Promise.all(
      fields.map(async ([, field]) => {
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
    fields.forEach(([name], i) => {
      facets[name] = results[i];
    });
    return facets;
  }

  async getResource(
    tenant: string,
    id: string,
  ): Promise<StoredGitOpsResource | undefined> {
    const row = await this.db('gitops_resources').where({ tenant, id }).first();
    return row ? rowToStored(row) : undefined;
  }

  async getResourcesByEntity(
    tenant: string,
    entityRef: string,
  ): Promise<StoredGitOpsResource[]> {
    const rows = await this.db('gitops_resources')
      .where({ tenant, link_entity_ref: entityRef.toLowerCase() })
      .orderBy([
        { column: 'cluster' },
        { column: 'namespace' },
        { column: 'name' },
        { column: 'id' },
      ]);
    return rows.map(r => rowToStored(r));
  }

  async getHistory(
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

  async getStatusCounts(tenant: string): Promise<StatusCountRow[]> {
    const rows = await this.db('gitops_resources')
      .where({ tenant })
      .select(
        'tool',
        'sync_status',
        'health_status',
        'drift_detected',
        'suspended',
      )
      .count({ count: '*' })
      .groupBy(
        'tool',
        'sync_status',
        'health_status',
        'drift_detected',
        'suspended',
      );
    return (rows as any[]).map(r => ({
      tool: r.tool as GitOpsTool,
      syncStatus: r.sync_status as SyncStatus,
      healthStatus: r.health_status as HealthStatus,
      driftDetected: Boolean(r.drift_detected),
      suspended: Boolean(r.suspended),
      count: Number(r.count),
    }));
  }

  async listClusters(tenant: string): Promise<StoredCluster[]> {
    const rows = await this.db('gitops_clusters')
      .where({ tenant })
      .orderBy('name');
    return rows.map(clusterFromRow);
  }

  async getCluster(
    tenant: string,
    name: string,
  ): Promise<StoredCluster | undefined> {
    const row = await this.db('gitops_clusters')
      .where({ tenant, name })
      .first();
    return row ? clusterFromRow(row) : undefined;
  }

  async setManualLink(
    tenant: string,
    id: string,
    link: { entityRef: string; linkedBy: string; now: number },
    resolveLink: LinkResolver,
  ): Promise<StoredGitOpsResource | undefined> {
    return this.db.transaction(async tx => {
      const row: ResourceRow | undefined = await tx('gitops_resources')
        .where({ tenant, id })
        .first();
      if (!row) {
        return undefined;
      }
      await tx('gitops_manual_links')
        .insert({
          ...manualLinkKey(tenant, row),
          entity_ref: link.entityRef.toLowerCase(),
          linked_by: link.linkedBy,
          linked_at: link.now,
        })
        .onConflict(['tenant', 'cluster', 'tool', 'kind', 'namespace', 'name'])
        .merge();
      return this.rewriteLink(
        tx,
        row,
        resolveLink,
        link.entityRef.toLowerCase(),
      );
    });
  }

  async removeManualLink(
    tenant: string,
    id: string,
    resolveLink: LinkResolver,
  ): Promise<StoredGitOpsResource | undefined> {
    return this.db.transaction(async tx => {
      const row: ResourceRow | undefined = await tx('gitops_resources')
        .where({ tenant, id })
        .first();
      if (!row) {
        return undefined;
      }
      await tx('gitops_manual_links')
        .where(manualLinkKey(tenant, row))
        .delete();
      return this.rewriteLink(tx, row, resolveLink, undefined);
    });
  }

  private async rewriteLink(
    db: Knex | Knex.Transaction,
    row: ResourceRow,
    resolveLink: LinkResolver,
    manualEntityRef: string | undefined,
  ): Promise<StoredGitOpsResource> {
    const resource = rowToResource(row);
    const link = resolveLink(resource, manualEntityRef);
    const updated: ResourceRow = {
      ...row,
      link_status: link.status,
      link_entity_ref: link.entityRef,
      link_candidates: JSON.stringify(link.candidates),
      content_hash: contentHash(resource, link),
    };
    await db('gitops_resources').where({ id: row.id }).update({
      link_status: updated.link_status,
      link_entity_ref: updated.link_entity_ref,
      link_candidates: updated.link_candidates,
      content_hash: updated.content_hash,
    });
    return rowToStored(updated);
  }

  async relinkAll(
    resolveLink: LinkResolver,
  ): Promise<{ changed: number; clusters: string[] }> {
    const clusters = new Set<string>();
    let changed = 0;
    let after = '';
    const manualByTenant = new Map<string, Map<string, string>>();
    for (;;) {
      const rows: ResourceRow[] = await this.db('gitops_resources')
        .where('id', '>', after)
        .orderBy('id')
        .limit(RELINK_PAGE);
      if (rows.length === 0) {
        break;
      }
      after = rows[rows.length - 1].id;
      for (const row of rows) {
        let manual = manualByTenant.get(row.tenant);
        if (!manual) {
          manual = await this.manualLinksOf(this.db, row.tenant);
          manualByTenant.set(row.tenant, manual);
        }
        const resource = rowToResource(row);
        const manualRef = manual.get(`${row.cluster}\u0000${keyOf(resource)}`);
        const link = resolveLink(resource, manualRef);
        if (!sameLink(link, rowToLink(row))) {
          await this.rewriteLink(this.db, row, resolveLink, manualRef);
          clusters.add(row.cluster);
          changed += 1;
        }
      }
    }
    return { changed, clusters: [...clusters] };
  }

  async prune(options: {
    historyBefore: number;
    stagedPartsBefore: number;
    sessionsBefore: number;
  }): Promise<void> {
    await this.db('gitops_status_history')
      .where('at', '<', options.historyBefore)
      .delete();
    await this.db('gitops_snapshot_parts')
      .where('received_at', '<', options.stagedPartsBefore)
      .delete();
    await this.db('gitops_agent_sessions')
      .where('updated_at', '<', options.sessionsBefore)
      .delete();
  }
}

/** Manual links are keyed by what names a resource, not its row id, so they survive snapshots. */
function manualLinkKey(tenant: string, row: ResourceRow) {
  return {
    tenant,
    cluster: row.cluster,
    tool: row.tool,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
  };
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
