import { GITOPS_TOOLS, type GitOpsTool } from '@shoehorn/plugin-gitops-common';

const keyOf = (tenant: string, cluster: string, tool: GitOpsTool) =>
  JSON.stringify([tenant, cluster, tool]);

/**
 * What this replica knows about which cluster and tool may have a command to claim, so an
 * idle agent's long-poll costs the database nothing: a wake-up (from any replica) or the
 * safety poll says yes, an emptied claim says no. Until the first safety poll every poll
 * claims.
 */
export class ClaimableClusters {
  private known?: Set<string>;
  /** Wake-ups seen per cluster: a claim that overlapped one must not conclude "nothing". */
  private readonly wakeups = new Map<string, number>();
  /** The earliest lease handed out per cluster and tool: claimable again once it ends. */
  private readonly leaseEnds = new Map<string, number>();

  /** A command was queued for the cluster (any tool). */
  woken(tenant: string, cluster: string): void {
    const clusterKey = JSON.stringify([tenant, cluster]);
    this.wakeups.set(clusterKey, (this.wakeups.get(clusterKey) ?? 0) + 1);
    for (const tool of GITOPS_TOOLS) {
      this.known?.add(keyOf(tenant, cluster, tool));
    }
  }

  /** Replaces what is known with the database's answer. */
  reset(
    claimable: Array<{ tenant: string; cluster: string; tool: GitOpsTool }>,
  ) {
    this.known = new Set(
      claimable.map(c => keyOf(c.tenant, c.cluster, c.tool)),
    );
  }

  /** Whether the safety poll has answered yet. */
  get initialized(): boolean {
    return this.known !== undefined;
  }

  /** A mark to compare after a claim: did a wake-up arrive meanwhile? */
  mark(tenant: string, cluster: string): number {
    return this.wakeups.get(JSON.stringify([tenant, cluster])) ?? 0;
  }

  wokenSince(tenant: string, cluster: string, mark: number): boolean {
    return this.mark(tenant, cluster) !== mark;
  }

  mayHave(
    tenant: string,
    cluster: string,
    tools: readonly GitOpsTool[],
    now: number,
  ): boolean {
    const known = this.known;
    return (
      !known ||
      tools.some(t => {
        const key = keyOf(tenant, cluster, t);
        return known.has(key) || (this.leaseEnds.get(key) ?? Infinity) <= now;
      })
    );
  }

  /** Commands were handed out until `leaseUntil`: without a result they come back then. */
  leased(
    tenant: string,
    cluster: string,
    tool: GitOpsTool,
    leaseUntil: number,
  ) {
    const key = keyOf(tenant, cluster, tool);
    this.leaseEnds.set(
      key,
      Math.min(this.leaseEnds.get(key) ?? Infinity, leaseUntil),
    );
  }

  /** A claim for these tools left nothing behind, unless a wake-up overlapped it. */
  drained(
    tenant: string,
    cluster: string,
    tools: readonly GitOpsTool[],
    mark: number,
    now: number,
  ): void {
    if (this.wokenSince(tenant, cluster, mark)) {
      return;
    }
    for (const tool of tools) {
      const key = keyOf(tenant, cluster, tool);
      this.known?.delete(key);
      // Leases that ended were handed out again by this claim, or their command finished.
      if ((this.leaseEnds.get(key) ?? Infinity) <= now) {
        this.leaseEnds.delete(key);
      }
    }
  }
}
