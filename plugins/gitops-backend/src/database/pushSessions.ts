import type {
  GitOpsResource,
  GitOpsResourceKey,
  PushRequest,
} from '@shoehorn/plugin-gitops-common';
import type { Knex } from 'knex';
import type { AgentIdentity } from '../service/agentIdentity';
import { isPostgres } from './batches';

function sessionKey(identity: AgentIdentity, push: PushRequest) {
  return {
    tenant: identity.tenant,
    cluster: identity.cluster,
    session: push.agent.session,
  };
}

/** Returns the session's last applied seq, holding its row lock until commit. */
export async function lockSession(
  tx: Knex.Transaction,
  identity: AgentIdentity,
  push: PushRequest,
  now: number,
): Promise<number> {
  const key = sessionKey(identity, push);
  await tx('gitops_agent_sessions')
    .insert({ ...key, last_seq: -1, updated_at: now })
    .onConflict(['tenant', 'cluster', 'session'])
    .ignore();
  let query = tx('gitops_agent_sessions').where(key).first('last_seq');
  if (isPostgres(tx)) {
    query = query.forUpdate();
  }
  const row = await query;
  return Number(row?.last_seq ?? -1);
}

export async function advanceSession(
  tx: Knex.Transaction,
  identity: AgentIdentity,
  push: PushRequest,
  now: number,
): Promise<void> {
  await tx('gitops_agent_sessions')
    .where(sessionKey(identity, push))
    .update({ last_seq: push.seq, updated_at: now });
}

/** How many distinct parts of the push's seq are staged. */
export async function countParts(
  tx: Knex.Transaction,
  identity: AgentIdentity,
  push: PushRequest,
): Promise<number> {
  const row = await tx('gitops_snapshot_parts')
    .where({ ...sessionKey(identity, push), seq: push.seq })
    .andWhere('part', '<=', push.parts ?? 1)
    .count({ count: '*' })
    .first();
  return Number(row?.count ?? 0);
}

/** Stages a part; when the set is complete, returns all parts' content and clears them. */
export async function stagePart(
  tx: Knex.Transaction,
  identity: AgentIdentity,
  push: PushRequest,
  now: number,
): Promise<
  { upserts: GitOpsResource[]; deletes: GitOpsResourceKey[] } | undefined
> {
  const session = sessionKey(identity, push);
  // Parts of an older snapshot of this session can never complete now.
  await tx('gitops_snapshot_parts')
    .where(session)
    .andWhere('seq', '<', push.seq)
    .delete();
  await tx('gitops_snapshot_parts')
    .insert({
      ...session,
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
  const received = await countParts(tx, identity, push);
  if (received < push.parts!) {
    return undefined;
  }
  const rows = await tx('gitops_snapshot_parts')
    .where({ ...session, seq: push.seq })
    .andWhere('part', '<=', push.parts!)
    .orderBy('part')
    .select('upserts', 'deletes');
  await tx('gitops_snapshot_parts').where(session).delete();
  return {
    upserts: rows.flatMap(r => JSON.parse(r.upserts) as GitOpsResource[]),
    deletes: rows.flatMap(r => JSON.parse(r.deletes) as GitOpsResourceKey[]),
  };
}
