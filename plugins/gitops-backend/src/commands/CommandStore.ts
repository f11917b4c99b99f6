import type {
  CommandStatus,
  CommandType,
  GitOpsResourceKey,
  GitOpsTool,
} from '@shoehorn/plugin-gitops-common';

/** One entry of the command ledger. Times are epoch milliseconds. */
export interface CommandRecord {
  id: string;
  tenant: string;
  cluster: string;
  resourceId: string;
  resource: GitOpsResourceKey;
  type: CommandType;
  hard: boolean;
  status: CommandStatus;
  requestedBy: string;
  requestedAt: number;
  deliveredAt: number | null;
  leaseUntil: number | null;
  deliveries: number;
  finishedAt: number | null;
  expiresAt: number;
  message: string | null;
}

export type NewCommand = Pick<
  CommandRecord,
  | 'tenant'
  | 'cluster'
  | 'resourceId'
  | 'resource'
  | 'type'
  | 'hard'
  | 'requestedBy'
  | 'requestedAt'
  | 'expiresAt'
>;

/** Persistence of the command ledger (queued → delivered → succeeded | failed | expired). */
export interface CommandStore {
  /**
   * Queues a command unless an identical one (same resource, type and hard flag) is
   * still queued or delivered; then that one is returned with created false.
   */
  enqueue(
    command: NewCommand,
    now: number,
  ): Promise<{ command: CommandRecord; created: boolean }>;

  /**
   * Leases up to `limit` commands of a cluster, for resources of the given tools, that are
   * queued, or delivered with an ended lease. Two concurrent claims never return the same command.
   */
  claim(options: {
    tenant: string;
    cluster: string;
    tools: readonly GitOpsTool[];
    now: number;
    leaseMs: number;
    limit: number;
  }): Promise<CommandRecord[]>;

  /** The clusters and tools that have a command a poll would claim now. */
  clustersWithClaimable(
    now: number,
  ): Promise<Array<{ tenant: string; cluster: string; tool: GitOpsTool }>>;

  /** Records the agent's result; a command already finished is returned unchanged. */
  finish(
    id: string,
    result: { status: 'succeeded' | 'failed'; message: string },
    now: number,
  ): Promise<{ command: CommandRecord; changed: boolean } | undefined>;

  get(id: string): Promise<CommandRecord | undefined>;
  listForResource(
    tenant: string,
    resourceId: string,
    limit: number,
  ): Promise<CommandRecord[]>;

  /** Ends every command whose time to live has passed; returns those it ended. */
  expireDue(now: number): Promise<CommandRecord[]>;

  /** Deletes finished commands older than the given instant. */
  prune(before: number): Promise<void>;
}
