import { EventEmitter } from 'node:events';

/**
 * Wakes long-polls of one cluster in this process as soon as a command is queued for it.
 * Other replicas notice the command through their periodic database read.
 */
export class CommandNotifier {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every waiting agent request holds one listener.
    this.emitter.setMaxListeners(0);
  }

  notify(tenant: string, cluster: string): void {
    this.emitter.emit(`${tenant}\u0000${cluster}`);
  }

  /** Resolves on a notification for the cluster, after `timeoutMs`, or when aborted. */
  wait(
    tenant: string,
    cluster: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<void> {
    const event = `${tenant}\u0000${cluster}`;
    return new Promise(resolve => {
      let timer: ReturnType<typeof setTimeout> | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.emitter.off(event, done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      timer = setTimeout(done, Math.max(0, timeoutMs));
      this.emitter.on(event, done);
      signal?.addEventListener('abort', done);
    });
  }
}
