import { EventEmitter } from 'node:events';
import { ClaimableClusters } from './ClaimableClusters';

/** Carries "a command was queued for this cluster" to every replica. */
export interface CommandWakeupChannel {
  publish(key: string): Promise<void>;
  /** Calls `onWake` for each key published by any replica, this one included. */
  start(onWake: (key: string) => void): Promise<void>;
  stop(): Promise<void>;
}

/** A cluster as a wake-up key: JSON, since PostgreSQL notification payloads hold no NUL. */
const keyOf = (tenant: string, cluster: string) =>
  JSON.stringify([tenant, cluster]);

/**
 * Wakes the long-polls of a cluster as soon as a command is queued for it: in this process
 * at once, and on other replicas through the wake-up channel when there is one.
 */
export class CommandNotifier {
  private readonly emitter = new EventEmitter();
  /** Which clusters may have a command to claim, as the wake-ups and safety polls tell. */
  readonly claimable = new ClaimableClusters();
  /** Waiting polls per cluster key. */
  private readonly waiting = new Map<string, number>();

  constructor(private readonly channel?: CommandWakeupChannel) {
    // Every waiting agent request holds one listener.
    this.emitter.setMaxListeners(0);
  }

  async start(): Promise<void> {
    await this.channel?.start(key => this.wakeKey(key));
  }

  async stop(): Promise<void> {
    await this.channel?.stop();
  }

  /** A command was queued: wakes the cluster's polls here, then on every replica. */
  async notify(tenant: string, cluster: string): Promise<void> {
    this.wake(tenant, cluster);
    await this.channel?.publish(keyOf(tenant, cluster));
  }

  /** Wakes this process's polls of the cluster only. */
  wake(tenant: string, cluster: string): void {
    this.claimable.woken(tenant, cluster);
    this.emitter.emit(keyOf(tenant, cluster));
  }

  /** A wake-up from another replica; a payload this code did not send is ignored. */
  private wakeKey(key: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(key);
    } catch {
      return;
    }
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      parsed.every(part => typeof part === 'string')
    ) {
      this.wake(parsed[0], parsed[1]);
    }
  }

  /** The clusters with a poll waiting in this process. */
  waitingClusters(): Array<{ tenant: string; cluster: string }> {
    return [...this.waiting.keys()].map(key => {
      const [tenant, cluster] = JSON.parse(key) as [string, string];
      return { tenant, cluster };
    });
  }

  /** Resolves on a notification for the cluster, after `timeoutMs`, or when aborted. */
  wait(
    tenant: string,
    cluster: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<void> {
    const event = keyOf(tenant, cluster);
    this.waiting.set(event, (this.waiting.get(event) ?? 0) + 1);
    return new Promise(resolve => {
      let timer: ReturnType<typeof setTimeout> | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.emitter.off(event, done);
        signal?.removeEventListener('abort', done);
        const left = (this.waiting.get(event) ?? 1) - 1;
        if (left > 0) {
          this.waiting.set(event, left);
        } else {
          this.waiting.delete(event);
        }
        resolve();
      };
      timer = setTimeout(done, Math.max(0, timeoutMs));
      this.emitter.once(event, done);
      if (signal?.aborted) {
        done();
      } else {
        signal?.addEventListener('abort', done);
      }
    });
  }
}
