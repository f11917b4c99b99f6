import {
  GITOPS_TOOLS,
  toStorableText,
  type GitOpsTool,
} from '@shoehorn/plugin-gitops-common';
import type { Knex } from 'knex';
import type { AgentIdentity } from '../service/agentIdentity';

/** The last push the backend refused for a cluster and tool. */
export interface PushRefusal {
  cluster: string;
  /** The tool of the refused push; null when it could not be read (too large, not JSON). */
  tool: GitOpsTool | null;
  /** The HTTP status the agent was answered with. */
  status: number;
  message: string;
  /** Epoch milliseconds. */
  refusedAt: number;
}

/** Longest refusal message kept; the agent got the whole answer. */
const MAX_MESSAGE_LENGTH = 2000;

/** The tool column of a refusal whose push did not name a readable tool. */
const UNKNOWN_TOOL = '';

const toolOf = (column: string): GitOpsTool | null =>
  (GITOPS_TOOLS as readonly string[]).includes(column)
    ? (column as GitOpsTool)
    : null;

/**
 * Remembers the last refused push of each cluster and tool until a push of that tool is
 * applied: an ArgoCD and a Flux agent of one cluster fail and recover independently.
 */
export class PushRefusalStore {
  constructor(private readonly db: Knex) {}

  async record(
    identity: AgentIdentity,
    refusal: Omit<PushRefusal, 'cluster'>,
  ): Promise<void> {
    await this.db('gitops_push_refusals')
      .insert({
        tenant: identity.tenant,
        cluster: identity.cluster,
        tool: refusal.tool ?? UNKNOWN_TOOL,
        status: refusal.status,
        message: toStorableText(refusal.message.slice(0, MAX_MESSAGE_LENGTH)),
        refused_at: refusal.refusedAt,
      })
      .onConflict(['tenant', 'cluster', 'tool'])
      .merge();
  }

  /**
   * An applied push of `tool` ends that tool's refusal, and one that named no tool: the
   * latter is recorded again if its agent keeps failing.
   */
  async clear(identity: AgentIdentity, tool: GitOpsTool): Promise<void> {
    await this.db('gitops_push_refusals')
      .where({ tenant: identity.tenant, cluster: identity.cluster })
      .whereIn('tool', [tool, UNKNOWN_TOOL])
      .delete();
  }

  /** The tenant's refusals, the most recent first. */
  async list(tenant: string): Promise<PushRefusal[]> {
    const rows = await this.db('gitops_push_refusals')
      .where({ tenant })
      .orderBy([
        { column: 'refused_at', order: 'desc' },
        { column: 'cluster', order: 'asc' },
        { column: 'tool', order: 'asc' },
      ]);
    return rows.map(row => ({
      cluster: row.cluster,
      tool: toolOf(row.tool),
      status: Number(row.status),
      message: row.message,
      refusedAt: Number(row.refused_at),
    }));
  }
}
