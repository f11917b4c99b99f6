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
 * Runs the commands on in-memory records instead of a cluster, so a demo portal can show
 * a command go from queued to succeeded. Sync applies the target revision; Refresh changes
 * nothing (the files are the cluster's truth); Suspend and Resume set `suspended` of a Flux
 * record, Resume bringing back the health it had before. Each takes `delayMs`, as a real one
 * takes time.
 */
export class SimulatedCommands implements CommandExecutor {
  /** The health of each record when it was suspended, for its Resume. */
  private readonly healthBeforeSuspend = new Map<
    string,
    GitOpsResource['healthStatus']
  >();

  constructor(
    private readonly objects: SimulatedObjects,
    private readonly delayMs = 1000,
    private readonly now = () => new Date(),
  ) {}

  async execute(command: AgentCommand): Promise<CommandResult> {
    const { namespace, name, kind } = command.resource;
    const key = resourceKeyString(command.resource);
    const record = this.objects.get(key);
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
    if (command.type === 'suspend' || command.type === 'resume') {
      return this.setSuspended(key, record, command.type === 'suspend');
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

  private setSuspended(
    key: string,
    record: GitOpsResource,
    suspend: boolean,
  ): CommandResult {
    const object = `${record.kind} ${record.namespace}/${record.name}`;
    if (record.tool !== 'fluxcd') {
      return {
        status: 'failed',
        message: `${object} is ArgoCD's, which has no suspend (simulated)`,
      };
    }
    let health: GitOpsResource['healthStatus'] = 'Suspended';
    if (suspend && !record.suspended) {
      this.healthBeforeSuspend.set(key, record.healthStatus);
    } else if (!suspend) {
      // A record suspended in the files has no health to return to: Flux reconciles it anew.
      health = record.suspended
        ? this.healthBeforeSuspend.get(key) ?? 'Progressing'
        : record.healthStatus;
      this.healthBeforeSuspend.delete(key);
    }
    const verb = suspend ? 'suspended' : 'resumed';
    this.objects.set({
      ...record,
      suspended: suspend,
      autoSync: !suspend,
      healthStatus: health,
      message: `${verb} by the simulated agent`,
    });
    return { status: 'succeeded', message: `${verb} ${object} (simulated)` };
  }
}
