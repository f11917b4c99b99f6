import {
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  Watch,
} from '@kubernetes/client-node';
import type { InformedKind } from '@shoehorn/plugin-gitops-common';
import { httpStatusOf } from '../errors/AgentError';

/** What a ListWatch reports, shaped like client-node's informer events. */
export interface ListWatchEvents {
  /** An object it did not know. */
  add: (obj: KubernetesObject) => void;
  /** A known object with a new resourceVersion. */
  update: (obj: KubernetesObject) => void;
  /** A known object is gone: watch DELETED, or missing from a list (then only its name is known). */
  delete: (obj: KubernetesObject) => void;
  /** A full list finished: its store equals the cluster's view at that point. */
  list: () => void;
  /** A watch request was accepted. */
  connect: () => void;
  /** The watch's resourceVersion expired (410 Gone); it relists. */
  expired: () => void;
  /** Every raw watch event, by type (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR), with its object. */
  event: (type: string, obj: any) => void;
  /** The loop ended on this failure; it does not retry (its supervisor does). */
  error: (err: unknown) => void;
}

type Listeners = { [E in keyof ListWatchEvents]: Set<ListWatchEvents[E]> };

const LIST_PAGE_SIZE = 500;

/**
 * One list-then-watch loop for one kind, version and namespace (or all): lists in pages,
 * watches from the list's resourceVersion with bookmarks, relists on 410 Gone, and keeps the
 * resourceVersion of every object it has reported, so a relist reports what vanished. No
 * backoff, probing or policy: a failure ends the loop and it is up to the caller to start it
 * again (the store survives, so the next list reports only differences).
 */
export class ListWatch {
  private readonly store = new Map<string, string>();
  private readonly custom: CustomObjectsApi;
  private readonly watcher: Watch;
  private readonly listeners = {} as Listeners;
  private generation = 0;
  private watchAbort?: AbortController;
  private resourceVersion = '';
  private activityAt = Date.now();
  private versionValue?: string;

  constructor(
    kubeConfig: KubeConfig,
    readonly kind: InformedKind,
    readonly namespace: string | undefined,
  ) {
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.watcher = new Watch(kubeConfig);
  }

  on<E extends keyof ListWatchEvents>(event: E, fn: ListWatchEvents[E]): this {
    ((this.listeners[event] ??= new Set() as any) as Set<unknown>).add(fn);
    return this;
  }

  off<E extends keyof ListWatchEvents>(event: E, fn: ListWatchEvents[E]): this {
    this.listeners[event]?.delete(fn);
    return this;
  }

  /** Number of objects in its store. */
  get size(): number {
    return this.store.size;
  }

  /** The version its current (or last) loop reads. */
  get version(): string | undefined {
    return this.versionValue;
  }

  /** When it last heard from the API server (a page, a watch event, a watch opening or ending). */
  get lastActivityAt(): number {
    return this.activityAt;
  }

  /**
   * Starts the loop on `version`, stopping any running one. Resolves when stopped; rejects
   * (after an `error` event) with the failure that ended it.
   */
  async start(version: string): Promise<void> {
    this.stop();
    const gen = this.generation;
    this.versionValue = version;
    this.activityAt = Date.now();
    try {
      while (gen === this.generation) {
        await this.listAll(gen);
        while (gen === this.generation && (await this.watchOnce(gen))) {
          // A watch that ended quietly (server timeout) resumes from its resourceVersion.
        }
        if (gen !== this.generation) return;
        this.emit('expired');
      }
    } catch (e) {
      if (gen !== this.generation) return;
      this.stop();
      this.emit('error', e);
      throw e;
    }
  }

  /** Ends the running loop; events of a list or watch still in flight are dropped. */
  stop(): void {
    this.generation += 1;
    this.watchAbort?.abort();
    this.watchAbort = undefined;
  }

  private emit<E extends keyof ListWatchEvents>(
    event: E,
    ...args: Parameters<ListWatchEvents[E]>
  ): void {
    for (const fn of this.listeners[event] ?? []) (fn as any)(...args);
  }

  private touch(): void {
    this.activityAt = Date.now();
  }

  private get path(): string {
    const ns = this.namespace ? `/namespaces/${this.namespace}` : '';
    return `/apis/${this.kind.group}/${this.versionValue}${ns}/${this.kind.plural}`;
  }

  private async listAll(gen: number): Promise<void> {
    const version = this.versionValue!;
    const base = { group: this.kind.group, version, plural: this.kind.plural };
    // Paged and handled page by page, so a large cluster never sits in memory as raw objects.
    const seen = new Set<string>();
    let resourceVersion = '';
    let next: string | undefined;
    do {
      const request = { ...base, limit: LIST_PAGE_SIZE, _continue: next };
      const page: any = this.namespace
        ? await this.custom.listNamespacedCustomObject({
            ...request,
            namespace: this.namespace,
          })
        : await this.custom.listClusterCustomObject(request);
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
    for (const key of [...this.store.keys()]) {
      if (!seen.has(key)) this.forget(key);
    }
    this.resourceVersion = resourceVersion;
    this.emit('list');
  }

  private observe(obj: KubernetesObject): void {
    const key = objectKey(obj);
    const rv = obj.metadata?.resourceVersion ?? '';
    const known = this.store.get(key);
    if (rv && known === rv) return;
    this.store.set(key, rv);
    this.emit(known === undefined ? 'add' : 'update', obj);
  }

  private forget(key: string): void {
    const resourceVersion = this.store.get(key);
    if (!this.store.delete(key)) return;
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash) || undefined;
    const name = key.slice(slash + 1);
    this.emit('delete', {
      apiVersion: `${this.kind.group}/${this.versionValue}`,
      kind: this.kind.kind,
      metadata: { namespace, name, resourceVersion },
    });
  }

  /** One watch request; true when it ended quietly (watch again), false on 410 (relist). */
  private watchOnce(gen: number): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      let gone = false;
      let events = 0;
      const startedAt = Date.now();
      const onEvent = (type: string, obj: any) => {
        if (gen !== this.generation) return;
        this.touch();
        events += 1;
        this.emit('event', type, obj);
        if (type === 'ADDED' || type === 'MODIFIED') this.observe(obj);
        else if (type === 'DELETED') this.forget(objectKey(obj));
        else if (type === 'ERROR') {
          if (obj?.code === 410) gone = true;
          return;
        }
        const rv = obj?.metadata?.resourceVersion;
        if (rv) this.resourceVersion = rv;
      };
      let ended = false;
      const onDone = (err: any) => {
        ended = true;
        if (gen !== this.generation) {
          resolve(true);
          return;
        }
        this.touch();
        if (gone || httpStatusOf(err) === 410) resolve(false);
        else if (
          !err ||
          err.name === 'TimeoutError' ||
          err.name === 'AbortError'
        ) {
          // A watch closed at once with nothing received is a fault, not a quiet period.
          if (events === 0 && Date.now() - startedAt < 1000 && !err) {
            reject(new Error('watch closed immediately'));
          } else resolve(true);
        } else reject(err);
      };
      this.watcher
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
          // It answers only once the request is over or its response has begun.
          if (!ended) this.emit('connect');
        })
        .catch(reject);
    });
  }
}

function objectKey(obj: KubernetesObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}
