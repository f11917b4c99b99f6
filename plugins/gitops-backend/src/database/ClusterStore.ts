import type {
  AgentCapabilities,
  GitOpsTool,
  PushRequest,
} from '@shoehorn/plugin-gitops-common';
import type { Knex } from 'knex';
import type { AgentIdentity } from '../service/agentIdentity';
import { chunks, ID_CHUNK } from './batches';
import { toEpochMs } from './resourceRows';
import type { StoredCluster } from './types';

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

/** Records what the agent of a cluster said about itself; part of every push's transaction. */
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
      last_seen_at: now,
    })
    .onConflict(['tenant', 'name'])
    .merge();
}

/** One tenant's buffered last-seen times: [cluster name, epoch ms]. */
interface UnwrittenLastSeen {
  tenant: string;
  clusters: Array<[string, number]>;
}

/** The clusters whose agents have pushed, with their last heartbeat. */
export class ClusterStore {
  /** Last-seen times not yet written, by tenant and cluster name. */
  private readonly unwritten = new Map<string, Map<string, number>>();

  constructor(private readonly db: Knex) {}

  /**
   * Marks the agent's cluster as seen (a heartbeat or a command poll), in memory until the
   * next {@link ClusterStore.flushLastSeen}, so a fleet of idle agents costs one write per
   * flush. No-op before its first push: the flush updates existing rows only.
   */
  seen(identity: AgentIdentity, now: number): void {
    let clusters = this.unwritten.get(identity.tenant);
    if (!clusters) {
      clusters = new Map();
      this.unwritten.set(identity.tenant, clusters);
    }
    clusters.set(
      identity.cluster,
      Math.max(now, clusters.get(identity.cluster) ?? 0),
    );
  }

  /** Writes the buffered last-seen times in one transaction; returns how many clusters. */
  async flushLastSeen(): Promise<number> {
    const pending: UnwrittenLastSeen[] = [...this.unwritten].map(
      ([tenant, clusters]) => ({ tenant, clusters: [...clusters] }),
    );
    this.unwritten.clear();
    if (pending.length === 0) {
      return 0;
    }
    try {
      await this.writeLastSeen(pending);
    } catch (error) {
      // Kept for the next flush: a failed write loses no heartbeat.
      for (const { tenant, clusters } of pending) {
        for (const [cluster, at] of clusters) {
          this.seen({ tenant, cluster, subject: '' }, at);
        }
      }
      throw error;
    }
    return pending.reduce((n, { clusters }) => n + clusters.length, 0);
  }

  private async writeLastSeen(pending: UnwrittenLastSeen[]): Promise<void> {
    await this.db.transaction(async tx => {
      for (const { tenant, clusters } of pending) {
        for (const batch of chunks(clusters, ID_CHUNK / 2)) {
          const cases = batch.map(() => 'WHEN ? THEN CAST(? AS BIGINT)');
          await tx('gitops_clusters')
            .where({ tenant })
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

  async list(tenant: string): Promise<StoredCluster[]> {
    const rows = await this.db('gitops_clusters')
      .where({ tenant })
      .orderBy('name');
    return rows.map(row => this.withUnwritten(clusterFromRow(row)));
  }

  async get(tenant: string, name: string): Promise<StoredCluster | undefined> {
    const row = await this.db('gitops_clusters')
      .where({ tenant, name })
      .first();
    return row ? this.withUnwritten(clusterFromRow(row)) : undefined;
  }

  /** This replica's readers see its heartbeats before they are written. */
  private withUnwritten(cluster: StoredCluster): StoredCluster {
    const seen = this.unwritten.get(cluster.tenant)?.get(cluster.name);
    return seen && seen > cluster.lastSeenAt
      ? { ...cluster, lastSeenAt: seen }
      : cluster;
  }
}
