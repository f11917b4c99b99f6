import type {
  GitOpsResource,
  GitOpsResourceKey,
  PushRequest,
} from '@shoehorn/plugin-gitops-common';
import type { Knex } from 'knex';
import { DeploymentStore } from '../history/DeploymentStore';
import type { AgentIdentity } from '../service/agentIdentity';
import { chunks, ID_CHUNK, rowsPerInsert } from './batches';
import { writeHeartbeat } from './ClusterStore';
import { manualLinksOf } from './ManualLinkStore';
import {
  advanceSession,
  countParts,
  lockSession,
  stagePart,
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
    options: { now: number; resolveLink: LinkResolver },
  ): Promise<PushOutcome> {
    const { now, resolveLink } = options;
    return this.db.transaction(async tx => {
      await writeHeartbeat(tx, identity, push.agent, now);
      const lastSeq = await lockSession(tx, identity, push, now);
      if (push.seq <= lastSeq) {
        return { kind: 'stale' };
      }

      let content: PushContent = push;
      if (push.parts !== undefined && push.parts > 1) {
        const staged = await stagePart(tx, identity, push, now);
        if (!staged) {
          const received = await countParts(tx, identity, push);
          return { kind: 'pending', received, parts: push.parts };
        }
        content = staged;
      }

      const scope = { ...identity, tool: push.agent.tool };
      const write = { tx, scope, now, resolveLink };
      const { applied, changed } =
        push.type === 'snapshot'
          ? await this.applySnapshot(write, content)
          : await this.applyDelta(write, content);
      await advanceSession(tx, identity, push, now);
      return { kind: 'applied', applied, changed };
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

  /** The snapshot replaces everything of its tool on the cluster. */
  private async applySnapshot(
    write: Write,
    content: PushContent,
  ): Promise<WriteCounts> {
    const { tx, scope } = write;
    const existingRows: ExistingResource[] = await tx('gitops_resources')
      .where({ tenant: scope.tenant, cluster: scope.cluster, tool: scope.tool })
      .select(...EXISTING_COLUMNS);
    const existing = new Map(existingRows.map(r => [keyOf(r as any), r]));
    const incoming = lastWins(content.upserts);
    const incomingKeys = new Set(incoming.map(keyOf));
    const absentIds = existingRows
      .filter(r => !incomingKeys.has(keyOf(r as any)))
      .map(r => r.id);
    for (const ids of chunks(absentIds, ID_CHUNK)) {
      await tx('gitops_resources').whereIn('id', ids).delete();
    }
    const written = await this.writeUpserts(write, incoming, existing);
    // A snapshot's explicit deletes of other tools are honoured too.
    const extraDeletes = content.deletes.filter(d => d.tool !== scope.tool);
    const deleted = await this.deleteKeys(write, extraDeletes);
    return {
      applied: incoming.length + absentIds.length + deleted,
      changed: written + absentIds.length + deleted,
    };
  }

  private async applyDelta(
    write: Write,
    content: PushContent,
  ): Promise<WriteCounts> {
    const { tx, scope } = write;
    const deleted = await this.deleteKeys(write, lastWins(content.deletes));
    const incoming = lastWins(content.upserts);
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
    const written = await this.writeUpserts(write, incoming, existing);
    return { applied: incoming.length + deleted, changed: written + deleted };
  }

  private async deleteKeys(
    { tx, scope }: Write,
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

  /**
   * Changed rows are rewritten with the new observation time; unchanged ones only touched.
   * Returns how many rows changed.
   */
  private async writeUpserts(
    { tx, scope, now, resolveLink }: Write,
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
    for (const ids of chunks(plan.unchangedIds, ID_CHUNK)) {
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
}
