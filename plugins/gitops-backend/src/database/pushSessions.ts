import type {
  GitOpsResource,
  GitOpsResourceKey,
  PushRequest,
} from '@shoehorn/plugin-gitops-common';
import type { Knex } from 'knex';
import { InputError } from '@backstage/errors';
import type { AgentIdentity } from '../service/agentIdentity';
import type { StagingLimits } from '../service/config';
import {
  PayloadTooLargeError,
  SessionSupersededError,
} from '../service/errors';
import { isPostgres } from './batches';

function sessionKey(identity: AgentIdentity, push: PushRequest) {
  return {
    tenant: identity.tenant,
    cluster: identity.cluster,
    session: push.agent.session,
  };
}

/**
 * Returns the session's last applied seq, holding its row lock until commit. A session's
 * first push begins it: it gets the next epoch of its cluster and tool and becomes their
 * current session. A push of a session whose epoch is no longer current is refused.
 */
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
  let query = tx('gitops_agent_sessions').where(key).first('last_seq', 'epoch');
  if (isPostgres(tx)) {
    query = query.forUpdate();
  }
  const row = await query;
  if (row.epoch === null || row.epoch === undefined) {
    const epoch = await beginSession(tx, identity, push, now);
    await tx('gitops_agent_sessions').where(key).update({ epoch });
    return Number(row.last_seq);
  }
  const current = await currentEpoch(tx, identity, push);
  if (current && Number(row.epoch) < current.epoch) {
    throw new SessionSupersededError(
      `agent.session: session ${push.agent.session} of cluster ${identity.cluster} (${push.agent.tool}) was superseded by a newer session; start a new session with a snapshot`,
    );
  }
  return Number(row.last_seq);
}

function epochKey(identity: AgentIdentity, push: PushRequest) {
  return {
    tenant: identity.tenant,
    cluster: identity.cluster,
    tool: push.agent.tool,
  };
}

async function currentEpoch(
  tx: Knex.Transaction,
  identity: AgentIdentity,
  push: PushRequest,
): Promise<{ epoch: number } | undefined> {
  let query = tx('gitops_session_epochs')
    .where(epochKey(identity, push))
    .first('epoch');
  // Waits for a session starting concurrently, so an old session never commits after it.
  if (isPostgres(tx)) {
    query = query.forUpdate();
  }
  const row = await query;
  return row ? { epoch: Number(row.epoch) } : undefined;
}

/** Issues the next epoch of the cluster and tool; the upsert's row lock orders racing starts. */
async function beginSession(
  tx: Knex.Transaction,
  identity: AgentIdentity,
  push: PushRequest,
  now: number,
): Promise<number> {
  const key = epochKey(identity, push);
  await tx('gitops_session_epochs')
    .insert({ ...key, epoch: 1, session: push.agent.session, started_at: now })
    .onConflict(['tenant', 'cluster', 'tool'])
    .merge({
      epoch: tx.raw('?? + 1', ['gitops_session_epochs.epoch']),
      session: push.agent.session,
      started_at: now,
    });
  return (await currentEpoch(tx, identity, push))!.epoch;
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

/**
 * A snapshot supersedes every other staged snapshot of its cluster and tool (an older seq,
 * or a session that crashed mid-snapshot): those parts can never be applied now.
 */
export async function dropOtherStaging(
  tx: Knex.Transaction,
  identity: AgentIdentity,
  push: PushRequest,
): Promise<void> {
  await tx('gitops_snapshot_parts')
    .where({
      tenant: identity.tenant,
      cluster: identity.cluster,
      tool: push.agent.tool,
    })
    .andWhere(other =>
      other
        .whereNot('session', push.agent.session)
        .orWhere('seq', '<', push.seq),
    )
    .delete();
}

/** Stages a part within the limits; answers how many parts of its snapshot are now staged. */
export async function stagePart(
  tx: Knex.Transaction,
  identity: AgentIdentity,
  push: PushRequest,
  options: { now: number; limits: StagingLimits },
): Promise<number> {
  const { now, limits } = options;
  if (push.parts! > limits.maxSnapshotParts) {
    throw new InputError(
      `parts: ${push.parts} exceeds the limit of ${limits.maxSnapshotParts} parts per snapshot (gitops.push.maxSnapshotParts)`,
    );
  }
  const session = sessionKey(identity, push);
  const upserts = JSON.stringify(push.upserts);
  const deletes = JSON.stringify(push.deletes);
  const bytes = Buffer.byteLength(upserts) + Buffer.byteLength(deletes);
  const held = await tx('gitops_snapshot_parts')
    .where({ tenant: identity.tenant, cluster: identity.cluster })
    // A retried part replaces itself, so it does not count twice.
    .whereNot(same =>
      same.where({ ...session, seq: push.seq, part: push.part }),
    )
    .sum({ bytes: 'bytes' })
    .first();
  const heldBytes = Number(held?.bytes ?? 0);
  if (heldBytes + bytes > limits.maxStagedBytes) {
    throw new PayloadTooLargeError(
      `part ${push.part} of ${push.parts}: staging it would hold ${
        heldBytes + bytes
      } bytes for cluster ${identity.cluster}, over the limit of ${
        limits.maxStagedBytes
      } bytes (gitops.push.maxStagedBytes)`,
    );
  }
  await tx('gitops_snapshot_parts')
    .insert({
      ...session,
      seq: push.seq,
      part: push.part,
      parts: push.parts,
      tool: push.agent.tool,
      upserts,
      deletes,
      bytes,
      received_at: now,
    })
    .onConflict(['tenant', 'cluster', 'session', 'seq', 'part'])
    .merge();
  return countParts(tx, identity, push);
}

/**
 * The staged parts of a complete snapshot, read and handed out one at a time so that
 * applying it never holds more than one part in memory; the staging goes with the commit.
 */
export async function* takeStagedParts(
  tx: Knex.Transaction,
  identity: AgentIdentity,
  push: PushRequest,
): AsyncGenerator<{ upserts: GitOpsResource[]; deletes: GitOpsResourceKey[] }> {
  const snapshot = { ...sessionKey(identity, push), seq: push.seq };
  for (let part = 1; part <= push.parts!; part++) {
    const row = await tx('gitops_snapshot_parts')
      .where({ ...snapshot, part })
      .first('upserts', 'deletes');
    yield {
      upserts: JSON.parse(row.upserts) as GitOpsResource[],
      deletes: JSON.parse(row.deletes) as GitOpsResourceKey[],
    };
  }
  await tx('gitops_snapshot_parts').where(snapshot).delete();
}
