import type {
  AgentCapabilities,
  AgentKindStatus,
  GitOpsTool,
  PushRequest,
} from '@shoehorn/plugin-gitops-common';
import type { Knex } from 'knex';
import type { AgentIdentity } from '../service/agentIdentity';
import { chunks, ID_CHUNK } from './batches';
import { toEpochMs } from './resourceRows';
import type { StoredClusterAgent } from './types';

function agentFromRow(row: any): StoredClusterAgent {
  return {
    tenant: row.tenant,
    name: row.name,
    agentSubject: row.agent_subject,
    agentVersion: row.agent_version,
    agentSession: row.agent_session,
    agentTool: row.agent_tool as GitOpsTool,
    capabilities: JSON.parse(row.capabilities) as AgentCapabilities,
    kinds: row.kinds ? (JSON.parse(row.kinds) as AgentKindStatus[]) : null,
    lastSeenAt: toEpochMs(row.last_seen_at) ?? 0,
  };
}

/**
 * Records what the agent of a cluster said about itself, per cluster and tool (an ArgoCD
 * and a Flux agent of one cluster never overwrite each other); part of every push's transaction.
 */
export async function writeHeartbeat(
  db: Knex,
  identity: AgentIdentity,
  agent: PushRequest['agent'],
  now: number,
): Promise<void> {
  await db('gitops_clusters')
    .insert({
      tenant: identity.tenant,
      name: identity.cluster,
      agent_subject: identity.subject,
      agent_version: agent.version,
      agent_session: agent.session,
      agent_tool: agent.tool,
      capabilities: JSON.stringify(agent.capabilities),
      kinds: agent.kinds ? JSON.stringify(agent.kinds) : null,
      last_seen_at: now,
    })
    .onConflict(['tenant', 'name', 'agent_tool'])
    .merge();
}

/** The buffered last-seen times of one tenant's agents of one tool: [cluster name, epoch ms]. */
interface UnwrittenLastSeen {
  tenant: string;
  tool: GitOpsTool;
  clusters: Array<[string, number]>;
}

const bufferKey = (tenant: string, tool: GitOpsTool) =>
  JSON.stringify([tenant, tool]);

/** The agents that have pushed, one per cluster and tool, with their last heartbeat. */
export class ClusterStore {
  /** Last-seen times not yet written, by tenant and tool, then cluster name. */
  private readonly unwritten = new Map<
    string,
    { tenant: string; tool: GitOpsTool; clusters: Map<string, number> }
  >();

  constructor(private readonly db: Knex) {}

  /**
   * Marks the cluster's agent of `tool` as seen (a heartbeat or a command poll), in memory
   * until the next {@link ClusterStore.flushLastSeen}, so a fleet of idle agents costs one
   * write per flush. No-op before its first push: the flush updates existing rows only.
   */
  seen(identity: AgentIdentity, tool: GitOpsTool, now: number): void {
    const key = bufferKey(identity.tenant, tool);
    let entry = this.unwritten.get(key);
    if (!entry) {
      entry = { tenant: identity.tenant, tool, clusters: new Map() };
      this.unwritten.set(key, entry);
    }
    entry.clusters.set(
      identity.cluster,
      Math.max(now, entry.clusters.get(identity.cluster) ?? 0),
    );
  }

  /** Writes the buffered last-seen times in one transaction; returns how many agents. */
  async flushLastSeen(): Promise<number> {
    const pending: UnwrittenLastSeen[] = [...this.unwritten.values()].map(
      ({ tenant, tool, clusters }) => ({
        tenant,
        tool,
        clusters: [...clusters],
      }),
    );
    this.unwritten.clear();
    if (pending.length === 0) {
      return 0;
    }
    try {
      await this.writeLastSeen(pending);
    } catch (error) {
      // Kept for the next flush: a failed write loses no heartbeat.
      for (const { tenant, tool, clusters } of pending) {
        for (const [cluster, at] of clusters) {
          this.seen({ tenant, cluster, subject: '' }, tool, at);
        }
      }
      throw error;
    }
    return pending.reduce((n, { clusters }) => n + clusters.length, 0);
  }

  private async writeLastSeen(pending: UnwrittenLastSeen[]): Promise<void> {
    await this.db.transaction(async tx => {
      for (const { tenant, tool, clusters } of pending) {
        for (const batch of chunks(clusters, ID_CHUNK / 2)) {
          const cases = batch.map(() => 'WHEN ? THEN CAST(? AS BIGINT)');
          await tx('gitops_clusters')
            .where({ tenant, agent_tool: tool })
            .whereIn(
              'name',
              batch.map(([name]) => name),
            )
            .update({
              last_seen_at: tx.raw(
                `CASE name ${cases.join(' ')} END`,
                batch.flat(),
              ),
            });
        }
      }
    });
  }

  /** The tools this credential has pushed for in its cluster: what a poll naming no tool asks for. */
  async toolsOf(identity: AgentIdentity): Promise<GitOpsTool[]> {
    const rows = await this.db('gitops_clusters')
      .where({
        tenant: identity.tenant,
        name: identity.cluster,
        agent_subject: identity.subject,
      })
      .orderBy('agent_tool')
      .select('agent_tool');
    return rows.map(r => r.agent_tool as GitOpsTool);
  }

  /** Every agent of the tenant, by cluster name and tool. */
  async list(tenant: string): Promise<StoredClusterAgent[]> {
    const rows = await this.db('gitops_clusters')
      .where({ tenant })
      .orderBy(['name', 'agent_tool']);
    return rows.map(row => this.withUnwritten(agentFromRow(row)));
  }

  /** The agents of one cluster, by tool; empty when none has pushed. */
  async agentsOf(tenant: string, name: string): Promise<StoredClusterAgent[]> {
    const rows = await this.db('gitops_clusters')
      .where({ tenant, name })
      .orderBy('agent_tool');
    return rows.map(row => this.withUnwritten(agentFromRow(row)));
  }

  /** This replica's readers see its heartbeats before they are written. */
  private withUnwritten(agent: StoredClusterAgent): StoredClusterAgent {
    const seen = this.unwritten
      .get(bufferKey(agent.tenant, agent.agentTool))
      ?.clusters.get(agent.name);
    return seen && seen > agent.lastSeenAt
      ? { ...agent, lastSeenAt: seen }
      : agent;
  }
}
