import type {
  AgentCapabilities,
  GitOpsTool,
  PushRequest,
} from '@shoehorn/plugin-gitops-common';
import type { Knex } from 'knex';
import type { AgentIdentity } from '../service/agentIdentity';
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

/** The clusters whose agents have pushed, with their last heartbeat. */
export class ClusterStore {
  constructor(private readonly db: Knex) {}

  /** Marks the agent's cluster as seen (a command poll). No-op before its first push. */
  async touch(identity: AgentIdentity, now: number): Promise<void> {
    await this.db('gitops_clusters')
      .where({ tenant: identity.tenant, name: identity.cluster })
      .update({ last_seen_at: now });
  }

  async list(tenant: string): Promise<StoredCluster[]> {
    const rows = await this.db('gitops_clusters')
      .where({ tenant })
      .orderBy('name');
    return rows.map(clusterFromRow);
  }

  async get(tenant: string, name: string): Promise<StoredCluster | undefined> {
    const row = await this.db('gitops_clusters')
      .where({ tenant, name })
      .first();
    return row ? clusterFromRow(row) : undefined;
  }
}
