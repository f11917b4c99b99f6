import { at, text } from './objectFields';
import type { FluxSourceLookup } from './types';
import { WATCHED_KINDS, acceptsVersion } from './watchedKinds';

const GIT_REPOSITORY = WATCHED_KINDS.find(w => w.kind === 'GitRepository')!;

/**
 * URLs of the Flux sources known to the agent, keyed by (kind, namespace, name),
 * for resolving the `sourceRef` of Kustomizations and HelmReleases. Only
 * GitRepository objects are indexed from raw objects: it is the one source kind
 * the agent watches, so a file normalizes exactly as the cluster would.
 * @public
 */
export class FluxSourceIndex implements FluxSourceLookup {
  private readonly urls = new Map<string, string>();

  /** An index of the GitRepository objects among the given raw objects. */
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
   * Records a raw GitRepository's `spec.url` (an update without a URL forgets it).
   * Returns whether the object was a GitRepository this index understands. Never throws.
   */
  add(obj: unknown): boolean {
    try {
      const ref = gitRepositoryRef(obj);
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

  /** Forgets a raw GitRepository (on a watch DELETE). Never throws. */
  remove(obj: unknown): void {
    try {
      const ref = gitRepositoryRef(obj);
      if (ref) {
        this.delete(ref.kind, ref.namespace, ref.name);
      }
    } catch {
      // An unreadable object was never indexed.
    }
  }
}

function gitRepositoryRef(
  obj: unknown,
): { kind: string; namespace: string; name: string } | undefined {
  const apiVersion = at(obj, 'apiVersion');
  if (
    at(obj, 'kind') !== GIT_REPOSITORY.kind ||
    typeof apiVersion !== 'string' ||
    !acceptsVersion(GIT_REPOSITORY, apiVersion)
  ) {
    return undefined;
  }
  const namespace = text(at(obj, 'metadata', 'namespace'));
  const name = text(at(obj, 'metadata', 'name'));
  if (namespace === null || name === null) {
    return undefined;
  }
  return { kind: GIT_REPOSITORY.kind, namespace, name };
}
