import type { KubernetesObject } from '@kubernetes/client-node';
import {
  ArgoProjectIndex,
  FLUX_SOURCE_KINDS,
  FluxSourceIndex,
  GitOpsResource,
  GitOpsResourceKey,
  WATCHED_KINDS,
  WatchedKind,
  argoProjectOf,
  normalizeObject,
  resourceKeyString,
} from '@shoehorn/plugin-gitops-common';
import type { Logger } from '../logging/Logger';
import type { InformerHandlers } from './informerTypes';

/** Where the inventory sends changes of normalized records. */
export interface ChangeSink {
  upsert(resource: GitOpsResource): void;
  delete(key: GitOpsResourceKey): void;
}

const APPLICATION = WATCHED_KINDS.find(k => k.kind === 'Application')!;

/**
 * The agent's current view of the cluster as normalized records: the source of every
 * snapshot. Emits a change only when a record actually differs. Keeps the raw Flux
 * Kustomizations and HelmReleases so that a source change re-resolves their source URL, and
 * the raw ArgoCD Applications so that a change of their AppProject re-reads its sync windows.
 */
export class ResourceInventory implements InformerHandlers {
  private readonly records = new Map<string, GitOpsResource>();
  private readonly fluxReferrers = new Map<string, KubernetesObject>();
  private readonly argoApps = new Map<string, KubernetesObject>();
  private readonly sources = new FluxSourceIndex();
  private readonly projects = new ArgoProjectIndex();
  private readonly rejected = new Set<string>();

  constructor(
    private readonly sink: ChangeSink,
    private readonly log: Logger,
    private readonly onSize: (size: number) => void = () => {},
  ) {}

  get size(): number {
    return this.records.size;
  }

  /** Every current record (the content of a full snapshot). */
  snapshot(): GitOpsResource[] {
    return [...this.records.values()];
  }

  get(key: GitOpsResourceKey): GitOpsResource | undefined {
    return this.records.get(resourceKeyString(key));
  }

  upsert(kind: WatchedKind, obj: KubernetesObject): void {
    if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
    if (FLUX_SOURCE_KINDS.includes(kind.kind)) {
      const before = this.sourceUrl(kind, obj);
      this.sources.add(obj);
      this.apply(kind, obj);
      if (this.sourceUrl(kind, obj) !== before) {
        this.renormalizeReferrers(kind, obj);
      }
      return;
    }
    const key = rawKey(kind, obj.metadata?.namespace, obj.metadata?.name);
    if (kind.kind === 'Kustomization' || kind.kind === 'HelmRelease') {
      this.fluxReferrers.set(key, obj);
    }
    if (kind.kind === 'Application') {
      this.argoApps.set(key, withoutResourceTree(obj));
    }
    this.apply(kind, obj);
  }

  /** An AppProject was added or changed: the Applications of the project carry its windows anew. */
  upsertProject(obj: KubernetesObject): void {
    if (this.projects.add(obj)) this.renormalizeProject(obj.metadata?.name);
  }

  /** An AppProject is gone: its Applications carry no windows (the project is unknown). */
  removeProject(name: string): void {
    this.projects.delete(name);
    this.renormalizeProject(name);
  }

  remove(kind: WatchedKind, namespace: string, name: string): void {
    const key: GitOpsResourceKey = {
      tool: kind.tool,
      kind: kind.kind,
      namespace,
      name,
    };
    const id = resourceKeyString(key);
    this.fluxReferrers.delete(rawKey(kind, namespace, name));
    this.argoApps.delete(rawKey(kind, namespace, name));
    this.rejected.delete(id);
    if (FLUX_SOURCE_KINDS.includes(kind.kind)) {
      this.sources.delete(kind.kind, namespace, name);
      this.renormalizeReferrers(kind, { metadata: { namespace, name } });
    }
    if (this.records.delete(id)) {
      this.onSize(this.records.size);
      this.sink.delete(key);
    }
  }

  private apply(kind: WatchedKind, obj: KubernetesObject): void {
    const result = normalizeObject(obj, this.sources, this.projects);
    const id = resourceKeyString({
      tool: kind.tool,
      kind: kind.kind,
      namespace: obj.metadata?.namespace ?? '',
      name: obj.metadata?.name ?? '',
    });
    if (!result.ok) {
      if (!this.rejected.has(id)) {
        this.rejected.add(id);
        this.log.warn('object not normalized; keeping its last good record', {
          object: id,
          reason: result.reason,
        });
      }
      return;
    }
    this.rejected.delete(id);
    const previous = this.records.get(id);
    if (
      previous &&
      JSON.stringify(previous) === JSON.stringify(result.resource)
    )
      return;
    this.records.set(id, result.resource);
    if (!previous) this.onSize(this.records.size);
    this.sink.upsert(result.resource);
  }

  private sourceUrl(kind: WatchedKind, obj: KubernetesObject): string | null {
    return this.sources.urlOf(
      kind.kind,
      obj.metadata?.namespace ?? '',
      obj.metadata?.name ?? '',
    );
  }

  private renormalizeProject(name: string | undefined): void {
    for (const obj of this.argoApps.values()) {
      if (argoProjectOf(obj) === name) this.apply(APPLICATION, obj);
    }
  }

  /** Re-normalizes the Kustomizations and HelmReleases whose sourceRef names this source. */
  private renormalizeReferrers(
    sourceKind: WatchedKind,
    source: KubernetesObject,
  ): void {
    const namespace = source.metadata?.namespace;
    const name = source.metadata?.name;
    for (const obj of this.fluxReferrers.values()) {
      const raw = obj as any;
      const ref =
        raw.kind === 'HelmRelease'
          ? raw.spec?.chart?.spec?.sourceRef
          : raw.spec?.sourceRef;
      if (!ref || ref.kind !== sourceKind.kind || ref.name !== name) continue;
      if ((ref.namespace ?? raw.metadata?.namespace) !== namespace) continue;
      const kind = { tool: 'fluxcd', kind: raw.kind } as WatchedKind;
      this.apply(kind, obj);
    }
  }
}

/** Status.resources lists every object an app manages, and no normalizer reads it. */
function withoutResourceTree(obj: KubernetesObject): KubernetesObject {
  const status = (obj as { status?: Record<string, unknown> }).status;
  if (!status?.resources) return obj;
  const { resources: _resources, ...rest } = status;
  return { ...obj, status: rest } as KubernetesObject;
}

function rawKey(kind: WatchedKind, namespace?: string, name?: string): string {
  return `${kind.kind}/${namespace ?? ''}/${name ?? ''}`;
}
