import {
  resourceKeyString,
  type AgentCommand,
  type CommandResult,
  type GitOpsResource,
} from '@shoehorn/plugin-gitops-common';
import { sleep } from '../retry/backoff';
import type { CommandExecutor } from './CommandExecutor';

/** The records a simulated command reads and replaces, keyed by `resourceKeyString`. */
export interface SimulatedObjects {
  get(key: string): GitOpsResource | undefined;
  /** Stores the changed record and queues it for the next push. */
  set(record: GitOpsResource): void;
}

/** The record as the tool would report it after a successful sync. */
export function syncedRecord(
  record: GitOpsResource,
  now: Date,
): GitOpsResource {
  return {
    ...record,
    syncStatus: 'Synced',
    revision: record.targetRevision ?? record.revision,
    lastSyncedAt: now.toISOString(),
    drift: { detected: false, reason: null },
    message: 'synced by the simulated agent',
  };
}

/**
 * Runs Sync and Refresh on in-memory records instead of a cluster, so a demo portal can show
 * a command go from queued to succeeded. Sync applies the target revision; Refresh changes
 * nothing (the files are the cluster's truth). Each takes `delayMs`, as a real one takes time.
 */
export class SimulatedCommands implements CommandExecutor {
  constructor(
    private readonly objects: SimulatedObjects,
    private readonly delayMs = 1000,
    private readonly now = () => new Date(),
  ) {}

  async execute(command: AgentCommand): Promise<CommandResult> {
    const { namespace, name, kind } = command.resource;
    const record = this.objects.get(resourceKeyString(command.resource));
    if (!record) {
      return {
        status: 'failed',
        message: `${kind} ${namespace}/${name} is not in the simulated cluster's files`,
      };
    }
    await sleep(this.delayMs);
    if (command.type === 'refresh') {
      return {
        status: 'succeeded',
        message: `refreshed ${kind} ${namespace}/${name} (simulated)`,
      };
    }
    const synced = syncedRecord(record, this.now());
    this.objects.set(synced);
    return {
      status: 'succeeded',
      message: `synced ${kind} ${namespace}/${name} to ${
        synced.revision ?? 'its target'
      } (simulated)`,
    };
  }
}
