import { at, text } from './objectFields';
import type { FluxSourceLookup } from './types';
import {
  FLUX_SOURCE_KINDS,
  WATCHED_KINDS,
  acceptsVersion,
} from './watchedKinds';

const SOURCE_KINDS = WATCHED_KINDS.filter(w =>
  FLUX_SOURCE_KINDS.includes(w.kind),
);

/**
 * URLs of the Flux sources known to the agent, keyed by (kind, namespace, name),
 * for resolving the `sourceRef` of Kustomizations and HelmReleases. Only the
 * source kinds the agent watches (GitRepository, OCIRepository, HelmRepository) are
 * indexed from raw objects, so a file normalizes exactly as the cluster would.
 * @public
 */
export class FluxSourceIndex implements FluxSourceLookup {
  private readonly urls = new Map<string, string>();

  /** An index of the watched source objects among the given raw objects. */
  static fromObjects(objects: Iterable<unknown>): FluxSourceIndex {
    const index = new FluxSourceIndex();
    for (const obj of objects) {
      index.add(obj);
    }
    return index;
  }

  private static key(kind: string, namespace: string, name: string): string {
    return JSON.stringify([kind, namespace, name]);
  }

  get size(): number {
    return this.urls.size;
  }

  urlOf(kind: string, namespace: string, name: string): string | null {
    return this.urls.get(FluxSourceIndex.key(kind, namespace, name)) ?? null;
  }

  set(kind: string, namespace: string, name: string, url: string): void {
    this.urls.set(FluxSourceIndex.key(kind, namespace, name), url);
  }

  delete(kind: string, namespace: string, name: string): void {
    this.urls.delete(FluxSourceIndex.key(kind, namespace, name));
  }

  /**
   * Records a raw source's `spec.url` (an update without a URL forgets it).
   * Returns whether the object was a source this index understands. Never throws.
   */
  add(obj: unknown): boolean {
    try {
      const ref = watchedSourceRef(obj);
      if (!ref) {
        return false;
      }
      const url = text(at(obj, 'spec', 'url'));
      if (url === null) {
        this.delete(ref.kind, ref.namespace, ref.name);
      } else {
        this.set(ref.kind, ref.namespace, ref.name, url);
      }
      return true;
    } catch {
      return false;
    }
  }

  /** Forgets a raw source (on a watch DELETE). Never throws. */
  remove(obj: unknown): void {
    try {
      const ref = watchedSourceRef(obj);
      if (ref) {
        this.delete(ref.kind, ref.namespace, ref.name);
      }
    } catch {
      // An unreadable object was never indexed.
    }
  }
}

function watchedSourceRef(
  obj: unknown,
): { kind: string; namespace: string; name: string } | undefined {
  const apiVersion = at(obj, 'apiVersion');
  const kind = SOURCE_KINDS.find(k => k.kind === at(obj, 'kind'));
  if (
    kind === undefined ||
    typeof apiVersion !== 'string' ||
    !acceptsVersion(kind, apiVersion)
  ) {
    return undefined;
  }
  const namespace = text(at(obj, 'metadata', 'namespace'));
  const name = text(at(obj, 'metadata', 'name'));
  if (namespace === null || name === null) {
    return undefined;
  }
  return { kind: kind.kind, namespace, name };
}
