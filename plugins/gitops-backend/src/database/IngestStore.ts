import {
  DEFAULT_MAX_SNAPSHOT_PARTS,
  DEFAULT_MAX_STAGED_BYTES,
  type GitOpsResource,
  type GitOpsResourceKey,
  type PushRequest,
} from '@shoehorn/plugin-gitops-common';
import type { Knex } from 'knex';
import { DeploymentStore } from '../history/DeploymentStore';
import type { AgentIdentity } from '../service/agentIdentity';
import type { StagingLimits } from '../service/config';
import { chunks, idsPerQuery, rowsPerInsert } from './batches';
import { ChangeCollector } from './ChangeCollector';
import { writeHeartbeat } from './ClusterStore';
import { manualLinksOf } from './ManualLinkStore';
import {
  advanceSession,
  dropOtherStaging,
  lockSession,
  stagePart,
  takeStagedParts,
} from './pushSessions';
import {
  EXISTING_COLUMNS,
  ExistingResource,
  IngestScope,
  lastWins,
  planUpserts,
} from './resourceChanges';
import {
  MUTABLE_RESOURCE_COLUMNS,
  RESOURCE_KEY_COLUMNS,
  keyOf,
} from './resourceRows';
import type { LinkResolver, PushOutcome } from './types';

interface PushContent {
  upserts: GitOpsResource[];
  deletes: GitOpsResourceKey[];
}

const DEFAULT_STAGING_LIMITS: StagingLimits = {
  maxSnapshotParts: DEFAULT_MAX_SNAPSHOT_PARTS,
  maxStagedBytes: DEFAULT_MAX_STAGED_BYTES,
};

/** Applies agent pushes: seq ordering per session, part staging, snapshot and delta writes, deployment tracking. */
export class IngestStore {
  constructor(
    private readonly db: Knex,
    private readonly deployments = new DeploymentStore(db),
  ) {}

  /** Applies one push in one transaction; also records the agent's heartbeat. */
  async applyPush(
    identity: AgentIdentity,
    push: PushRequest,
    options: {
      now: number;
      resolveLink: LinkResolver;
      staging?: StagingLimits;
    },
  ): Promise<PushOutcome> {
    const { now, resolveLink } = options;
    return this.db.transaction(async tx => {
      await writeHeartbeat(tx, identity, push.agent, now);
      const lastSeq = await lockSession(tx, identity, push, now);
      if (push.seq <= lastSeq) {
        return { kind: 'stale' };
      }
      if (push.type === 'snapshot') {
        await dropOtherStaging(tx, identity, push);
      }

      const scope = { ...identity, tool: push.agent.tool };
      const changes = new ChangeCollector();
      const write = { tx, scope, now, resolveLink, changes };
      let counts: WriteCounts;
      if (push.parts !== undefined && push.parts > 1) {
        const received = await stagePart(tx, identity, push, {
          now,
          limits: options.staging ?? DEFAULT_STAGING_LIMITS,
        });
        if (received < push.parts) {
          return { kind: 'pending', received, parts: push.parts };
        }
        counts = await this.applySnapshot(
          write,
          takeStagedParts(tx, identity, push),
        );
      } else if (push.type === 'snapshot') {
        counts = await this.applySnapshot(write, [push]);
      } else {
        counts = await this.applyDelta(write, push);
      }
      await advanceSession(tx, identity, push, now);
      const { entityRefs } = changes.of(identity.tenant);
      return { kind: 'applied', ...counts, entityRefs: entityRefs ?? [] };
    });
  }

  /** Drops staged parts and idle sessions older than the given instants. */
  async prune(options: {
    stagedPartsBefore: number;
    sessionsBefore: number;
  }): Promise<void> {
    await this.db('gitops_snapshot_parts')
      .where('received_at', '<', options.stagedPartsBefore)
      .delete();
    await this.db('gitops_agent_sessions')
      .where('updated_at', '<', options.sessionsBefore)
      .delete();
  }

  /**
   * The snapshot replaces everything of its tool on the cluster. Parts are written one after
   * the other; only the keys seen are kept, to delete what the snapshot does not name.
   */
  private async applySnapshot(
    write: Write,
    parts: AsyncIterable<PushContent> | Iterable<PushContent>,
  ): Promise<WriteCounts> {
    const { tx, scope } = write;
    const seen = new Set<string>();
    const extraDeletes: GitOpsResourceKey[] = [];
    let written = 0;
    for await (const part of parts) {
      const incoming = lastWins(part.upserts);
      written += await this.writeUpserts(
        write,
        incoming,
        await this.existingOf(write, incoming),
      );
      incoming.forEach(r => seen.add(keyOf(r)));
      // A snapshot's explicit deletes of other tools are honoured too.
      extraDeletes.push(...part.deletes.filter(d => d.tool !== scope.tool));
    }
    const storedKeys: Array<
      GitOpsResourceKey & { id: string; link_entity_ref: string | null }
    > = await tx('gitops_resources')
      .where({ tenant: scope.tenant, cluster: scope.cluster, tool: scope.tool })
      .select('id', 'tool', 'kind', 'namespace', 'name', 'link_entity_ref');
    const absent = storedKeys.filter(r => !seen.has(keyOf(r)));
    absent.forEach(r =>
      write.changes.add(scope.tenant, scope.cluster, r.link_entity_ref),
    );
    const absentIds = absent.map(r => r.id);
    for (const ids of chunks(absentIds, idsPerQuery(tx))) {
      await tx('gitops_resources').whereIn('id', ids).delete();
    }
    const deleted = await this.deleteKeys(write, lastWins(extraDeletes));
    return {
      applied: seen.size + absentIds.length + deleted,
      changed: written + absentIds.length + deleted,
    };
  }

  private async applyDelta(
    write: Write,
    content: PushContent,
  ): Promise<WriteCounts> {
    const deleted = await this.deleteKeys(write, lastWins(content.deletes));
    const incoming = lastWins(content.upserts);
    const written = await this.writeUpserts(
      write,
      incoming,
      await this.existingOf(write, incoming),
    );
    return { applied: incoming.length + deleted, changed: written + deleted };
  }

  /** The stored rows of the incoming records, by key (looked up by name in batches). */
  private async existingOf(
    { tx, scope }: Write,
    incoming: GitOpsResource[],
  ): Promise<Map<string, ExistingResource>> {
    const existing = new Map<string, ExistingResource>();
    const names = [...new Set(incoming.map(r => r.name))];
    for (const batch of chunks(names, idsPerQuery(tx))) {
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
    return existing;
  }

  /** Deletes the stored rows of the keys, looked up by name in batches rather than one by one. */
  private async deleteKeys(
    { tx, scope, changes }: Write,
    keys: GitOpsResourceKey[],
  ): Promise<number> {
    const wanted = new Set(keys.map(keyOf));
    const names = [...new Set(keys.map(k => k.name))];
    const ids: string[] = [];
    for (const batch of chunks(names, idsPerQuery(tx))) {
      const rows: Array<
        GitOpsResourceKey & { id: string; link_entity_ref: string | null }
      > = await tx('gitops_resources')
        .where({ tenant: scope.tenant, cluster: scope.cluster })
        .whereIn('name', batch)
        .select('id', 'tool', 'kind', 'namespace', 'name', 'link_entity_ref');
      for (const row of rows.filter(r => wanted.has(keyOf(r)))) {
        ids.push(row.id);
        changes.add(scope.tenant, scope.cluster, row.link_entity_ref);
      }
    }
    for (const batch of chunks(ids, idsPerQuery(tx))) {
      await tx('gitops_resources').whereIn('id', batch).delete();
    }
    return ids.length;
  }

  /**
   * Changed rows are rewritten with the new observation time; unchanged ones only touched.
   * Returns how many rows changed.
   */
  private async writeUpserts(
    { tx, scope, now, resolveLink, changes }: Write,
    incoming: GitOpsResource[],
    existing: Map<string, ExistingResource>,
  ): Promise<number> {
    if (incoming.length === 0) {
      return 0;
    }
    const manualLinks = await manualLinksOf(tx, scope.tenant, scope.cluster);
    const plan = planUpserts({
      scope,
      incoming,
      existing,
      manualLinks,
      now,
      resolveLink,
    });
    const previousRefs = new Map(
      [...existing.values()].map(r => [r.id, r.link_entity_ref]),
    );
    for (const row of plan.changedRows) {
      changes.add(
        scope.tenant,
        scope.cluster,
        row.link_entity_ref,
        previousRefs.get(row.id),
      );
    }
    for (const ids of chunks(plan.unchangedIds, idsPerQuery(tx))) {
      await tx('gitops_resources')
        .whereIn('id', ids)
        .update({ observed_at: now });
    }
    for (const batch of chunks(plan.changedRows, rowsPerInsert(tx))) {
      await tx('gitops_resources')
        .insert(batch)
        .onConflict([...RESOURCE_KEY_COLUMNS])
        .merge([...MUTABLE_RESOURCE_COLUMNS]);
    }
    for (const batch of chunks(plan.history, rowsPerInsert(tx))) {
      await tx('gitops_status_history').insert(batch);
    }
    await this.deployments.track(tx, plan.observed, now);
    return plan.changedRows.length;
  }
}

/** Resources a push named, and how many of them it changed (new, different or deleted). */
interface WriteCounts {
  applied: number;
  changed: number;
}

/** What every write of one push shares. */
interface Write {
  tx: Knex.Transaction;
  scope: IngestScope;
  now: number;
  resolveLink: LinkResolver;
  /** The entities the push changed, for its change notice. */
  changes: ChangeCollector;
}
