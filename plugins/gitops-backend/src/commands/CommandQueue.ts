import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  commandAvailability,
  type CommandLinkPolicy,
  type CommandResult,
  type CommandType,
  type GitOpsTool,
} from '@shoehorn/plugin-gitops-common';
import type {
  StoredClusterAgent,
  StoredGitOpsResource,
} from '../database/types';
import type { AgentIdentity } from '../service/agentIdentity';
import type { ChangePublisher } from '../service/ChangePublisher';
import type { GitOpsClock } from '../service/clock';
import { toClusterView } from '../service/resourceViews';
import type { CommandNotifier } from './CommandNotifier';
import type { CommandRecord, CommandStore } from './CommandStore';

/** Most commands handed to one poll. */
const CLAIM_LIMIT = 20;
const MAX_WAIT_MS = 30_000;

/** The command ledger's behaviour: queueing, long-poll delivery with leases, results, expiry. */
export class CommandQueue {
  /** The waiting poll of each agent in this process; a newer one replaces it. */
  private readonly polls = new Map<string, AbortController>();

  constructor(
    private readonly deps: {
      store: CommandStore;
      notifier: CommandNotifier;
      publisher: ChangePublisher;
      clock: GitOpsClock;
      ttlMs: number;
      leaseMs: number;
      /** Called once per command that ends (succeeded, failed or expired). */
      onFinished?: (command: CommandRecord) => Promise<void>;
      linkPolicy: CommandLinkPolicy;
    },
  ) {}

  /** Queues a command, or returns the identical one still pending. 409 when it cannot run. */
  async request(options: {
    resource: StoredGitOpsResource;
    /** The agents of the resource's cluster (one per tool). */
    agents: StoredClusterAgent[];
    type: CommandType;
    hard: boolean;
    requestedBy: string;
  }): Promise<{ command: CommandRecord; created: boolean }> {
    const { resource, agents, type, hard, requestedBy } = options;
    const now = this.deps.clock.now();
    const availability = commandAvailability(
      type,
      resource,
      agents.length > 0
        ? toClusterView(resource.cluster, agents, now)
        : undefined,
      this.deps.linkPolicy,
    );
    if (!availability.allowed) {
      throw new ConflictError(availability.reason);
    }
    await this.expireDue();
    const result = await this.deps.store.enqueue(
      {
        tenant: resource.tenant,
        cluster: resource.cluster,
        resourceId: resource.id,
        resource: {
          tool: resource.tool,
          kind: resource.kind,
          namespace: resource.namespace,
          name: resource.name,
        },
        type,
        hard,
        requestedBy,
        requestedAt: now,
        expiresAt: now + this.deps.ttlMs,
      },
      now,
    );
    if (result.created) {
      await this.deps.notifier
        .notify(resource.tenant, resource.cluster)
        // Queued all the same: the safety poll delivers it.
        .catch(() => {});
      await this.deps.publisher.commandChanged(result.command);
    }
    return result;
  }

  /**
   * Long-poll of an agent: claims its cluster's commands for resources of its `tools`,
   * waiting up to `waitMs` for a wake-up. Answers empty at once when the request goes
   * away, or when the same agent polls again (the newer poll replaces it).
   */
  async poll(
    identity: AgentIdentity,
    tools: readonly GitOpsTool[],
    waitMs: number,
    signal: AbortSignal,
  ): Promise<CommandRecord[]> {
    const pollKey = JSON.stringify([
      identity.subject,
      identity.tenant,
      identity.cluster,
      tools,
    ]);
    this.polls.get(pollKey)?.abort();
    const mine = new AbortController();
    this.polls.set(pollKey, mine);
    const ended = AbortSignal.any([signal, mine.signal]);
    try {
      return await this.claimOrWait(identity, tools, waitMs, ended);
    } finally {
      if (this.polls.get(pollKey) === mine) {
        this.polls.delete(pollKey);
      }
    }
  }

  /**
   * The safety net behind wake-ups: one read for the whole replica, which refreshes what it
   * knows is claimable and wakes the waiting polls of those clusters.
   */
  async wakeWaitingPolls(): Promise<void> {
    const { notifier, store, clock } = this.deps;
    const waiting = notifier.waitingClusters();
    if (waiting.length === 0 && notifier.claimable.initialized) {
      return;
    }
    const claimable = await store.clustersWithClaimable(clock.now());
    notifier.claimable.reset(claimable);
    const due = new Set(
      claimable.map(c => JSON.stringify([c.tenant, c.cluster])),
    );
    for (const { tenant, cluster } of waiting) {
      if (due.has(JSON.stringify([tenant, cluster]))) {
        notifier.wake(tenant, cluster);
      }
    }
  }

  private async claimOrWait(
    identity: AgentIdentity,
    tools: readonly GitOpsTool[],
    waitMs: number,
    signal: AbortSignal,
  ): Promise<CommandRecord[]> {
    const { tenant, cluster } = identity;
    const { claimable } = this.deps.notifier;
    const deadline = Date.now() + Math.min(Math.max(waitMs, 0), MAX_WAIT_MS);
    for (;;) {
      if (signal.aborted) {
        return [];
      }
      const mark = claimable.mark(tenant, cluster);
      let claimed: CommandRecord[] = [];
      // An idle agent's poll reads nothing: only a wake-up or the safety poll sends it to claim.
      const now = this.deps.clock.now();
      if (claimable.mayHave(tenant, cluster, tools, now)) {
        // Expired commands are never claimable; the expiry task records them as expired.
        claimed = await this.deps.store.claim({
          tenant,
          cluster,
          tools,
          now,
          leaseMs: this.deps.leaseMs,
          limit: CLAIM_LIMIT,
        });
        if (claimed.length < CLAIM_LIMIT) {
          claimable.drained(tenant, cluster, tools, mark, now);
        }
        for (const c of claimed) {
          claimable.leased(
            tenant,
            cluster,
            c.resource.tool,
            c.leaseUntil ?? now,
          );
        }
      }
      const remaining = deadline - Date.now();
      if (claimed.length > 0 || remaining <= 0) {
        await Promise.all(
          claimed.map(c => this.deps.publisher.commandChanged(c)),
        );
        return claimed;
      }
      if (!claimable.wokenSince(tenant, cluster, mark)) {
        await this.deps.notifier.wait(tenant, cluster, remaining, signal);
      }
    }
  }

  /** Records an agent's result: 404 for an unknown id, 403 for another cluster's command. */
  /**
   * Records the result of a command, reported by an agent of one of `tools` in its
   * cluster: the agent of another tool of the same cluster was never sent it.
   */
  async finish(
    identity: AgentIdentity,
    tools: readonly GitOpsTool[],
    id: string,
    result: CommandResult,
  ): Promise<CommandRecord> {
    const existing = await this.deps.store.get(id);
    if (!existing) {
      throw new NotFoundError(`no command ${id}`);
    }
    if (
      existing.tenant !== identity.tenant ||
      existing.cluster !== identity.cluster
    ) {
      throw new NotAllowedError(`command ${id} belongs to another cluster`);
    }
    if (!tools.includes(existing.resource.tool)) {
      throw new NotAllowedError(
        `command ${id} is for the ${existing.resource.tool} agent of this cluster`,
      );
    }
    const finished = await this.deps.store.finish(
      id,
      result,
      this.deps.clock.now(),
    );
    if (!finished) {
      throw new NotFoundError(`no command ${id}`);
    }
    if (finished.changed) {
      await this.deps.publisher.commandChanged(finished.command);
      await this.deps.onFinished?.(finished.command);
    }
    return finished.command;
  }

  async get(tenant: string, id: string): Promise<CommandRecord> {
    await this.expireDue();
    const command = await this.deps.store.get(id);
    if (!command || command.tenant !== tenant) {
      throw new NotFoundError(`no command ${id}`);
    }
    return command;
  }

  async listForResource(
    tenant: string,
    resourceId: string,
  ): Promise<CommandRecord[]> {
    await this.expireDue();
    return this.deps.store.listForResource(tenant, resourceId, 50);
  }

  /** Ends commands past their time to live and announces each. */
  async expireDue(): Promise<void> {
    const expired = await this.deps.store.expireDue(this.deps.clock.now());
    await Promise.all(
      expired.map(async c => {
        await this.deps.publisher.commandChanged(c);
        await this.deps.onFinished?.(c);
      }),
    );
  }
}
