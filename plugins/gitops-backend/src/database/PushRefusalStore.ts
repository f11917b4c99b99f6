import { toStorableText } from '@shoehorn/plugin-gitops-common';
import type { Knex } from 'knex';
import type { AgentIdentity } from '../service/agentIdentity';

/** The last push the backend refused for a cluster. */
export interface PushRefusal {
  cluster: string;
  /** The HTTP status the agent was answered with. */
  status: number;
  message: string;
  /** Epoch milliseconds. */
  refusedAt: number;
}

/** Longest refusal message kept; the agent got the whole answer. */
const MAX_MESSAGE_LENGTH = 2000;

/** Remembers each cluster's last refused push until one of its pushes is applied. */
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
        status: refusal.status,
        message: toStorableText(refusal.message.slice(0, MAX_MESSAGE_LENGTH)),
        refused_at: refusal.refusedAt,
      })
      .onConflict(['tenant', 'cluster'])
      .merge();
  }

  async clear(identity: AgentIdentity): Promise<void> {
    await this.db('gitops_push_refusals')
      .where({ tenant: identity.tenant, cluster: identity.cluster })
      .delete();
  }

  async list(tenant: string): Promise<PushRefusal[]> {
    const rows = await this.db('gitops_push_refusals').where({ tenant });
    return rows.map(row => ({
      cluster: row.cluster,
      status: Number(row.status),
      message: row.message,
      refusedAt: Number(row.refused_at),
    }));
  }
}
