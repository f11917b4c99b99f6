import type { GitOpsResource } from '../model';

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
