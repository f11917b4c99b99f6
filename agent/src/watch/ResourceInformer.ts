import {
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  Watch,
} from '@kubernetes/client-node';
import type { InformedKind, WatchedKind } from '@shoehorn/plugin-gitops-common';
import { describeKubeError, httpStatusOf } from '../errors/AgentError';
import type { Logger } from '../logging/Logger';
import type { AgentMetrics } from '../ops/AgentMetrics';
import { Backoff, sleep } from '../retry/backoff';
import { discoverVersion, unservedReason } from './servedVersion';

/** Where an informer is in its life. */
export type InformerState =
  | 'starting'
  | 'synced'
  /** The cluster serves no version of the kind this agent reads (or has no CRD for it). */
  | 'missing'
  /** An optional kind the agent may not read (403): it works on without it. */
  | 'forbidden'
  | 'failing'
  | 'stopped';

/** Receives the informer's view of the cluster. */
export interface InformerHandlers<K extends InformedKind = WatchedKind> {
  /** An object was added or changed (or re-listed with a new resourceVersion). */
  upsert(kind: K, obj: KubernetesObject): void;
  /** An object is gone (watch DELETED, or missing from a relist). */
  remove(kind: K, namespace: string, name: string): void;
  /** The informer finished a list; its view equals the cluster's at that point. */
  synced?(informer: ResourceInformer<K>): void;
  /** Its state changed (e.g. it started failing, or found its CRD missing). */
  stateChanged?(informer: ResourceInformer<K>): void;
}

/** Tunables of an informer. */
export interface InformerOptions {
  backoffMinMs: number;
  backoffMaxMs: number;
  /** Restart a watch that has shown no sign of life for this long. */
  watchdogMs: number;
  /** How often to look again for a CRD that is not installed or serves no version it reads. */
  crdRetryMs: number;
  /** A kind the agent works without: a 403 makes it `forbidden`, looked at again like a missing CRD. */
  optional?: boolean;
}

type WatchOutcome = 'rewatch' | 'relist';

const LIST_PAGE_SIZE = 500;

/**
 * List + watch of one custom resource kind in one namespace (or all), keeping the
 * resourceVersion of every object it has reported. Before its first list, and whenever the
 * version it watches answers 404, it asks the API server which versions serve the kind and
 * watches the newest it reads. Every (re)start relists, so deletes missed while away are
 * reported; a 410 Gone relists; errors restart it with jittered backoff; a watchdog restarts
 * it when it has been silent for too long.
 */
export class ResourceInformer<K extends InformedKind = WatchedKind> {
  private readonly known = new Map<string, string>();
  private readonly custom: CustomObjectsApi;
  private readonly watch: Watch;
  private readonly backoff: Backoff;
  private readonly log: Logger;
  private generation = 0;
  private watchAbort?: AbortController;
  private sleepAbort?: AbortController;
  private watchdogTimer?: NodeJS.Timeout;
  private resourceVersion = '';
  private lastActivityAt = Date.now();
  private waiting = false;
  private versionValue?: string;
  private probe = true;
  private reportedUnavailable?: string;
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
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.watch = new Watch(kubeConfig);
    this.backoff = new Backoff(options.backoffMinMs, options.backoffMaxMs);
    this.log = log.child({ kind: kind.kind, namespace: namespace ?? '*' });
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
    return this.known.size;
  }

  private get labels() {
    return { kind: this.kind.kind, namespace: this.namespace ?? '*' };
  }

  private get path(): string {
    const ns = this.namespace ? `/namespaces/${this.namespace}` : '';
    return `/apis/${this.kind.group}/${this.versionValue}${ns}/${this.kind.plural}`;
  }

  start(): void {
    if (this.stateValue !== 'stopped') return;
    const period = Math.max(
      50,
      Math.min(5000, Math.floor(this.options.watchdogMs / 4)),
    );
    this.watchdogTimer = setInterval(() => this.checkWatchdog(), period);
    this.watchdogTimer.unref?.();
    this.launch();
  }

  stop(): void {
    this.generation += 1;
    this.setState('stopped');
    if (this.watchdogTimer) clearInterval(this.watchdogTimer);
    this.watchdogTimer = undefined;
    this.watchAbort?.abort();
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
    this.watchAbort?.abort();
    this.sleepAbort?.abort();
    this.setState('starting');
    this.touch();
    const gen = this.generation;
    this.run(gen).catch(e =>
      this.log.error('informer loop crashed', { error: e }),
    );
  }

  private checkWatchdog(): void {
    if (this.waiting || this.stateValue === 'stopped' || this.unavailable)
      return;
    if (Date.now() - this.lastActivityAt > this.options.watchdogMs) {
      this.restart('watchdog');
    }
  }

  private touch(): void {
    this.lastActivityAt = Date.now();
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
        await this.listAll(gen);
        justProbed = false;
        if (gen !== this.generation) return;
        for (;;) {
          const outcome = await this.watchOnce(gen);
          if (gen !== this.generation) return;
          if (outcome === 'relist') {
            this.metrics?.informerRestarts.inc({
              ...this.labels,
              reason: 'gone',
            });
            this.log.info('watch expired (410 Gone); relisting');
            break;
          }
        }
      } catch (e) {
        if (gen !== this.generation) return;
        this.fresh = false;
        if (httpStatusOf(e) === 404) {
          this.probe = true;
          // Its version went away (e.g. a Flux upgrade): ask at once which one is served now.
          if (!justProbed) continue;
          await this.waitUnavailable(unservedReason(this.kind, []), gen);
          continue;
        }
        if (this.options.optional && httpStatusOf(e) === 403) {
          await this.waitUnavailable(
            `not allowed to read ${this.kind.plural}.${
              this.kind.group
            }: ${describeKubeError(e)}`,
            gen,
            'forbidden',
          );
          continue;
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
    }
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

  private async listAll(gen: number): Promise<void> {
    const version = this.versionValue!;
    const base = {
      group: this.kind.group,
      version,
      plural: this.kind.plural,
    };
    // Paged and handled page by page, so a large cluster never sits in memory as raw objects.
    const seen = new Set<string>();
    let resourceVersion = '';
    let next: string | undefined;
    do {
      const page: any = this.namespace
        ? await this.custom.listNamespacedCustomObject({
            ...base,
            namespace: this.namespace,
            limit: LIST_PAGE_SIZE,
            _continue: next,
          })
        : await this.custom.listClusterCustomObject({
            ...base,
            limit: LIST_PAGE_SIZE,
            _continue: next,
          });
      if (gen !== this.generation) return;
      this.touch();
      for (const item of (page.items ?? []) as KubernetesObject[]) {
        // List items may lack apiVersion/kind; the normalizers need them.
        item.apiVersion ??= `${this.kind.group}/${version}`;
        item.kind ??= this.kind.kind;
        seen.add(objectKey(item));
        this.observe(item);
      }
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      next = page.metadata?.continue || undefined;
    } while (next);
    for (const key of [...this.known.keys()]) {
      if (!seen.has(key)) this.forget(key);
    }
    this.resourceVersion = resourceVersion;
    this.backoff.reset();
    this.lastErrorValue = undefined;
    this.reportedUnavailable = undefined;
    this.listedOnce = true;
    this.fresh = true;
    this.setState('synced');
    this.handlers.synced?.(this);
  }

  private observe(obj: KubernetesObject): void {
    const key = objectKey(obj);
    const rv = obj.metadata?.resourceVersion ?? '';
    if (rv && this.known.get(key) === rv) return;
    this.known.set(key, rv);
    this.handlers.upsert(this.kind, obj);
  }

  private forget(key: string): void {
    if (!this.known.delete(key)) return;
    const slash = key.indexOf('/');
    this.handlers.remove(this.kind, key.slice(0, slash), key.slice(slash + 1));
  }

  private watchOnce(gen: number): Promise<WatchOutcome> {
    return new Promise<WatchOutcome>((resolve, reject) => {
      let gone = false;
      let events = 0;
      const startedAt = Date.now();
      const onEvent = (type: string, obj: any) => {
        if (gen !== this.generation) return;
        this.touch();
        events += 1;
        this.metrics?.watchEvents.inc({ kind: this.kind.kind, type });
        switch (type) {
          case 'ADDED':
          case 'MODIFIED':
            this.observe(obj);
            break;
          case 'DELETED':
            this.forget(objectKey(obj));
            break;
          case 'ERROR':
            if (obj?.code === 410) gone = true;
            else
              this.log.warn('watch error event', {
                status: obj?.code,
                message: obj?.message,
              });
            return;
          default:
            break;
        }
        const rv = obj?.metadata?.resourceVersion;
        if (rv) this.resourceVersion = rv;
      };
      const onDone = (err: any) => {
        if (gen !== this.generation) {
          resolve('rewatch');
          return;
        }
        this.touch();
        if (gone || httpStatusOf(err) === 410) resolve('relist');
        else if (
          !err ||
          err.name === 'TimeoutError' ||
          err.name === 'AbortError'
        ) {
          // A watch closed at once with nothing received is a fault, not a quiet period.
          if (events === 0 && Date.now() - startedAt < 1000 && !err) {
            reject(new Error('watch closed immediately'));
          } else resolve('rewatch');
        } else reject(err);
      };
      this.watch
        .watch(
          this.path,
          { resourceVersion: this.resourceVersion, allowWatchBookmarks: true },
          onEvent,
          onDone,
        )
        .then(controller => {
          if (gen !== this.generation) {
            controller.abort();
            return;
          }
          this.touch();
          this.watchAbort = controller;
        })
        .catch(reject);
    });
  }
}

function objectKey(obj: KubernetesObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}
