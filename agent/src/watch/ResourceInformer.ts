import { KubeConfig } from '@kubernetes/client-node';
import type { InformedKind, WatchedKind } from '@shoehorn/plugin-gitops-common';
import { describeKubeError, httpStatusOf } from '../errors/AgentError';
import type { Logger } from '../logging/Logger';
import type { AgentMetrics } from '../ops/AgentMetrics';
import { Backoff, sleep } from '../retry/backoff';
import { forwardEvents } from './forwardEvents';
import { ListWatch } from './ListWatch';
import type {
  InformerHandlers,
  InformerOptions,
  InformerState,
} from './informerTypes';
import { discoverVersion, unservedReason } from './servedVersion';
import { Watchdog } from './Watchdog';

/**
 * The supervisor of one kind's ListWatch in one namespace (or all); the data path is in
 * docs/architecture.md. Before its first list, and whenever the version it watches answers
 * 404, it asks the API server which versions serve the kind and watches the newest it reads.
 * Every (re)start relists, so deletes missed while away are reported; errors restart it with
 * jittered backoff; a watchdog restarts it when it has been silent for too long. It marks the
 * kind stale, missing or forbidden for the kinds report and readiness.
 */
export class ResourceInformer<K extends InformedKind = WatchedKind> {
  private readonly listWatch: ListWatch;
  private readonly backoff: Backoff;
  private readonly log: Logger;
  private generation = 0;
  private sleepAbort?: AbortController;
  private readonly watchdog: Watchdog;
  private touchedAt = Date.now();
  private waiting = false;
  private versionValue?: string;
  private probe = true;
  private reportedUnavailable?: string;
  private listedInRun = false;
  private listedOnce = false;
  private fresh = false;
  private stateValue: InformerState = 'stopped';
  private lastErrorValue?: string;

  constructor(
    private readonly kubeConfig: KubeConfig,
    readonly kind: K,
    readonly namespace: string | undefined,
    private readonly handlers: InformerHandlers<K>,
    private readonly options: InformerOptions,
    log: Logger,
    private readonly metrics?: AgentMetrics,
  ) {
    this.backoff = new Backoff(options.backoffMinMs, options.backoffMaxMs);
    this.log = log.child({ kind: kind.kind, namespace: namespace ?? '*' });
    this.watchdog = new Watchdog(
      options.watchdogMs,
      () => this.lastSignOfLife(),
      () => this.restart('watchdog'),
    );
    this.listWatch = new ListWatch(kubeConfig, kind, namespace);
    this.listWatch.on('list', () => this.onListed());
    forwardEvents(
      this.listWatch,
      kind,
      handlers,
      this.log,
      metrics,
      this.labels,
    );
  }

  get state(): InformerState {
    return this.stateValue;
  }

  /** The API version it watches (or last watched); undefined until the cluster serves one it reads. */
  get version(): string | undefined {
    return this.versionValue;
  }

  get lastError(): string | undefined {
    return this.lastErrorValue;
  }

  /** Whether it knows it cannot watch its kind now: no version served, or not allowed. */
  get unavailable(): boolean {
    return this.stateValue === 'missing' || this.stateValue === 'forbidden';
  }

  /**
   * Whether the objects it reports are out of date: it listed once, but its last list or watch
   * failed (access revoked, CRD gone, repeated errors) and no list has succeeded since.
   */
  get stale(): boolean {
    return this.listedOnce && !this.fresh;
  }

  /** Number of objects currently known. */
  get size(): number {
    return this.listWatch.size;
  }

  private get labels() {
    return { kind: this.kind.kind, namespace: this.namespace ?? '*' };
  }

  start(): void {
    if (this.stateValue !== 'stopped') return;
    this.watchdog.start();
    this.launch();
  }

  stop(): void {
    this.generation += 1;
    this.setState('stopped');
    this.watchdog.stop();
    this.listWatch.stop();
    this.sleepAbort?.abort();
  }

  /** Drops the current list/watch and starts over with a relist. */
  restart(reason: 'error' | 'watchdog' | 'gone' | 'manual'): void {
    if (this.stateValue === 'stopped') return;
    this.metrics?.informerRestarts.inc({ ...this.labels, reason });
    this.log.warn('informer restarting', { reason });
    this.launch();
  }

  private launch(): void {
    this.generation += 1;
    this.listWatch.stop();
    this.sleepAbort?.abort();
    this.setState('starting');
    this.touch();
    const gen = this.generation;
    this.run(gen).catch(e =>
      this.log.error('informer loop crashed', { error: e }),
    );
  }

  /** When it last heard from the API server; undefined while it waits on purpose. */
  private lastSignOfLife(): number | undefined {
    if (this.waiting || this.stateValue === 'stopped' || this.unavailable)
      return undefined;
    return Math.max(this.touchedAt, this.listWatch.lastActivityAt);
  }

  private touch(): void {
    this.touchedAt = Date.now();
  }

  private setState(state: InformerState): void {
    const changed = state !== this.stateValue;
    this.stateValue = state;
    if (changed) this.handlers.stateChanged?.(this);
    this.metrics?.informerSynced.set(this.labels, state === 'synced' ? 1 : 0);
    this.metrics?.crdMissing.set(
      { kind: this.kind.kind },
      state === 'missing' ? 1 : 0,
    );
  }

  private async pause(ms: number, gen: number): Promise<void> {
    this.waiting = true;
    const abort = new AbortController();
    this.sleepAbort = abort;
    await sleep(ms, abort.signal);
    if (gen === this.generation) {
      this.waiting = false;
      this.touch();
    }
  }

  private async run(gen: number): Promise<void> {
    while (gen === this.generation) {
      let justProbed = false;
      try {
        if (this.probe) {
          justProbed = true;
          const choice = await discoverVersion(this.kubeConfig, this.kind);
          if (gen !== this.generation) return;
          if (choice.version === undefined) {
            await this.waitUnavailable(choice.reason, gen);
            continue;
          }
          this.watchVersion(choice.version);
        }
        this.listedInRun = false;
        // Settles only when stopped (a restart or stop) or when its list/watch fails.
        await this.listWatch.start(this.versionValue!);
        return;
      } catch (e) {
        if (gen !== this.generation) return;
        await this.failed(e, justProbed && !this.listedInRun, gen);
      }
    }
  }

  /** Decides what a failed list/watch means: a new version to find, a forbidden kind, or a retry. */
  private async failed(e: unknown, justProbed: boolean, gen: number) {
    this.fresh = false;
    if (httpStatusOf(e) === 404) {
      this.probe = true;
      // Its version went away (e.g. a Flux upgrade): ask at once which one is served now.
      if (!justProbed) return;
      await this.waitUnavailable(unservedReason(this.kind, []), gen);
      return;
    }
    if (this.options.optional && httpStatusOf(e) === 403) {
      const what = `${this.kind.plural}.${this.kind.group}`;
      await this.waitUnavailable(
        `not allowed to read ${what}: ${describeKubeError(e)}`,
        gen,
        'forbidden',
      );
      return;
    }
    this.lastErrorValue = describeKubeError(e);
    this.setState('failing');
    const delay = this.backoff.next();
    this.metrics?.informerRestarts.inc({ ...this.labels, reason: 'error' });
    this.log.warn('list/watch failed; retrying', {
      error: this.lastErrorValue,
      retryInMs: delay,
    });
    await this.pause(delay, gen);
  }

  /**
   * No version it reads is served, or (optional kind) it may not read one: kept, marked stale
   * (only a list that lacks an object removes it).
   */
  private async waitUnavailable(
    reason: string,
    gen: number,
    state: 'missing' | 'forbidden' = 'missing',
  ): Promise<void> {
    this.fresh = false;
    this.lastErrorValue = reason;
    this.setState(state);
    if (this.reportedUnavailable !== reason) {
      this.reportedUnavailable = reason;
      this.log.warn('kind not available; will look again', {
        reason,
        retryMs: this.options.crdRetryMs,
      });
    }
    await this.pause(this.options.crdRetryMs, gen);
  }

  private watchVersion(version: string): void {
    if (this.versionValue !== version || this.reportedUnavailable) {
      this.log.info('watching the newest served version this agent reads', {
        apiVersion: `${this.kind.group}/${version}`,
        ...(this.versionValue ? { before: this.versionValue } : {}),
      });
    }
    this.versionValue = version;
    this.probe = false;
  }

  /** A list succeeded: what it reports is fresh, and failures start counting from zero. */
  private onListed(): void {
    this.listedInRun = true;
    this.backoff.reset();
    this.lastErrorValue = undefined;
    this.reportedUnavailable = undefined;
    this.listedOnce = true;
    this.fresh = true;
    this.setState('synced');
    this.handlers.synced?.(this);
  }
}
