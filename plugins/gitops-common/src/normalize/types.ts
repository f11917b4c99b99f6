import type { GitOpsResource, SyncWindow } from '../model';

/**
 * Outcome of normalizing one raw object: the record, or why it was skipped.
 * @public
 */
export type NormalizeResult =
  | { ok: true; resource: GitOpsResource }
  | { ok: false; reason: string };

/**
 * Looks up the URL of a known Flux source (the `spec.url` of a GitRepository),
 * used to resolve `sourceRef`s. Returns null when the source is unknown.
 * @public
 */
export interface FluxSourceLookup {
  urlOf(kind: string, namespace: string, name: string): string | null;
}

/** What an AppProject's sync window is matched against: the Application's name and destination. @public */
export interface ArgoSyncTarget {
  /** The Application's name. */
  name: string;
  /** `spec.destination.server`, or "". */
  server: string;
  /** `spec.destination.name`, or "". */
  destinationName: string;
  /** `spec.destination.namespace`, or "". */
  namespace: string;
}

/**
 * Looks up the sync windows of an AppProject that apply to an Application; undefined when
 * the project is unknown (not read, or the agent may not read AppProjects).
 * @public
 */
export interface ArgoProjectLookup {
  /** The windows of the named project that match the app, in the project's order. */
  syncWindowsFor(
    project: string,
    app: ArgoSyncTarget,
  ): SyncWindow[] | undefined;
}
