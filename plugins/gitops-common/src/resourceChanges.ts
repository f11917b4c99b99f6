/**
 * What changed in one interval, so a page refetches only what it shows. `null` means too
 * many to name (or unknown, as after a catalog relink): every page of that kind refetches.
 * @public
 */
export type ResourceChanges = {
  /** Clusters whose resources changed. */
  clusters: string[] | null;
  /** Entity refs whose linked resources changed (before or after the change). */
  entityRefs: string[] | null;
};

/** Most names one notice carries; beyond it the notice says "all". @public */
export const MAX_NAMED_CHANGES = 100;

/** Default interval of change notices: at most one per tenant per interval. @public */
export const DEFAULT_CHANGE_NOTICE_INTERVAL_MS = 2000;

function union(a: string[] | null, b: string[] | null): string[] | null {
  if (a === null || b === null) {
    return null;
  }
  const merged = [...new Set([...a, ...b])];
  return merged.length > MAX_NAMED_CHANGES ? null : merged.sort();
}

/** Both sets of changes in one notice. @public */
export function mergeResourceChanges(
  a: ResourceChanges,
  b: ResourceChanges,
): ResourceChanges {
  return {
    clusters: union(a.clusters, b.clusters),
    entityRefs: union(a.entityRefs, b.entityRefs),
  };
}

const sameRef = (a: string, b: string) =>
  a.localeCompare(b, 'en-US', { sensitivity: 'accent' }) === 0;

/** Whether a page of the given entity must refetch. @public */
export function changesConcernEntity(
  changes: ResourceChanges,
  entityRef: string,
): boolean {
  return (
    changes.entityRefs === null ||
    changes.entityRefs.some(ref => sameRef(ref, entityRef))
  );
}

/** Whether a view of the given clusters (none given: of every cluster) must refetch. @public */
export function changesConcernClusters(
  changes: ResourceChanges,
  clusters: readonly string[] | undefined,
): boolean {
  return (
    !clusters?.length ||
    changes.clusters === null ||
    clusters.some(cluster => changes.clusters!.includes(cluster))
  );
}
