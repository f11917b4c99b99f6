import {
  ACTIVE_COMMAND_STATUSES,
  type CommandStatus,
  type CommandType,
  type GitOpsKind,
  type GitOpsTool,
} from '@shoehorn/plugin-gitops-common';
import { Knex } from 'knex';
import { v4 as uuid } from 'uuid';
import { toEpochMs } from '../database/resourceRows';
import type { CommandRecord, CommandStore, NewCommand } from './CommandStore';

function fromRow(row: any): CommandRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    cluster: row.cluster,
    resourceId: row.resource_id,
    resource: {
      tool: row.tool as GitOpsTool,
      kind: row.kind as GitOpsKind,
      namespace: row.namespace,
      name: row.name,
    },
    type: row.type as CommandType,
    hard: Boolean(row.hard),
    status: row.status as CommandStatus,
    requestedBy: row.requested_by,
    requestedAt: toEpochMs(row.requested_at) ?? 0,
    deliveredAt: toEpochMs(row.delivered_at),
    leaseUntil: toEpochMs(row.lease_until),
    deliveries: Number(row.deliveries),
    finishedAt: toEpochMs(row.finished_at),
    expiresAt: toEpochMs(row.expires_at) ?? 0,
    message: row.message ?? null,
  };
}

/** Commands that a claim at `now` may take: queued, or delivered with an ended lease. */
function claimable(query: Knex.QueryBuilder, now: number): Knex.QueryBuilder {
  return query
    .andWhere('expires_at', '>', now)
    .andWhere(q =>
      q
        .where('status', 'queued')
        .orWhere(d =>
          d.where('status', 'delivered').andWhere('lease_until', '<=', now),
        ),
    );
}

/** The Knex implementation of {@link CommandStore}; its schema is migrated by GitOpsDatabase. */
export class DatabaseCommandStore implements CommandStore {
  constructor(private readonly db: Knex) {}

  private get isPostgres(): boolean {
    return this.db.client.config.client === 'pg';
  }

  async enqueue(
    command: NewCommand,
    now: number,
  ): Promise<{ command: CommandRecord; created: boolean }> {
    return this.db.transaction(async tx => {
      if (this.isPostgres) {
        // Serialises concurrent requests for one resource so only one command is queued.
        await tx('gitops_resources')
          .where({ id: command.resourceId })
          .forUpdate()
          .first('id');
      }
      const existing = await tx('gitops_commands')
        .where({
          tenant: command.tenant,
          resource_id: command.resourceId,
          type: command.type,
          hard: command.hard,
        })
        .whereIn('status', ACTIVE_COMMAND_STATUSES)
        .andWhere('expires_at', '>', now)
        .orderBy('requested_at', 'desc')
        .first();
      if (existing) {
        return { command: fromRow(existing), created: false };
      }
      const row = {
        id: uuid(),
        tenant: command.tenant,
        cluster: command.cluster,
        resource_id: command.resourceId,
        tool: command.resource.tool,
        kind: command.resource.kind,
        namespace: command.resource.namespace,
        name: command.resource.name,
        type: command.type,
        hard: command.hard,
        status: 'queued',
        requested_by: command.requestedBy,
        requested_at: command.requestedAt,
        delivered_at: null,
        lease_until: null,
        deliveries: 0,
        finished_at: null,
        expires_at: command.expiresAt,
        message: null,
      };
      await tx('gitops_commands').insert(row);
      return { command: fromRow(row), created: true };
    });
  }

  async claim(options: {
    tenant: string;
    cluster: string;
    tools: readonly GitOpsTool[];
    now: number;
    leaseMs: number;
    limit: number;
  }): Promise<CommandRecord[]> {
    const { tenant, cluster, tools, now, leaseMs, limit } = options;
    return this.db.transaction(async tx => {
      let candidates = claimable(
        tx('gitops_commands').where({ tenant, cluster }).whereIn('tool', tools),
        now,
      )
        .orderBy('requested_at')
        .limit(limit)
        .select('*');
      if (this.isPostgres) {
        candidates = candidates.forUpdate().skipLocked();
      }
      const rows = await candidates;
      const claimed: CommandRecord[] = [];
      for (const row of rows) {
        const update = {
          status: 'delivered',
          delivered_at: toEpochMs(row.delivered_at) ?? now,
          lease_until: now + leaseMs,
          deliveries: Number(row.deliveries) + 1,
        };
        // The conditional update is the claim itself: a row someone else took matches nothing.
        const count = await claimable(
          tx('gitops_commands').where({ id: row.id }),
          now,
        ).update(update);
        if (count === 1) {
          claimed.push(fromRow({ ...row, ...update }));
        }
      }
      return claimed;
    });
  }

  async clustersWithClaimable(
    now: number,
  ): Promise<Array<{ tenant: string; cluster: string; tool: GitOpsTool }>> {
    return claimable(this.db('gitops_commands'), now).distinct(
      'tenant',
      'cluster',
      'tool',
    );
  }

  async finish(
    id: string,
    result: { status: 'succeeded' | 'failed'; message: string },
    now: number,
  ): Promise<{ command: CommandRecord; changed: boolean } | undefined> {
    return this.db.transaction(async tx => {
      let query = tx('gitops_commands').where({ id });
      if (this.isPostgres) {
        query = query.forUpdate();
      }
      const row = await query.first();
      if (!row) {
        return undefined;
      }
      const current = fromRow(row);
      // A result after expiry still counts when the command had been delivered: it ran.
      const open =
        ACTIVE_COMMAND_STATUSES.includes(current.status) ||
        (current.status === 'expired' && current.deliveries > 0);
      if (!open) {
        return { command: current, changed: false };
      }
      const update = {
        status: result.status,
        finished_at: now,
        lease_until: null,
        message: result.message,
      };
      await tx('gitops_commands').where({ id }).update(update);
      return {
        command: { ...current, ...update, finishedAt: now, leaseUntil: null },
        changed: true,
      };
    });
  }

  async get(id: string): Promise<CommandRecord | undefined> {
    const row = await this.db('gitops_commands').where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  async listForResource(
    tenant: string,
    resourceId: string,
    limit: number,
  ): Promise<CommandRecord[]> {
    const rows = await this.db('gitops_commands')
      .where({ tenant, resource_id: resourceId })
      .orderBy([
        { column: 'requested_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(fromRow);
  }

  async expireDue(now: number): Promise<CommandRecord[]> {
    return this.db.transaction(async tx => {
      const rows = await tx('gitops_commands')
        .whereIn('status', ACTIVE_COMMAND_STATUSES)
        .andWhere('expires_at', '<=', now)
        .select('*');
      const expired: CommandRecord[] = [];
      for (const row of rows) {
        const count = await tx('gitops_commands')
          .where({ id: row.id })
          .whereIn('status', ACTIVE_COMMAND_STATUSES)
          .update({
            status: 'expired',
            finished_at: now,
            lease_until: null,
            message: 'not completed by the agent within its time to live',
          });
        if (count === 1) {
          expired.push(
            fromRow({
              ...row,
              status: 'expired',
              finished_at: now,
              lease_until: null,
              message: 'not completed by the agent within its time to live',
            }),
          );
        }
      }
      return expired;
    });
  }

  async prune(before: number): Promise<void> {
    await this.db('gitops_commands')
      .whereNotIn('status', ACTIVE_COMMAND_STATUSES)
      .andWhere('requested_at', '<', before)
      .delete();
  }
}
