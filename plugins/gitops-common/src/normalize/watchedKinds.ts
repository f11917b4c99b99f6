import type { ContextKind, GitOpsKind, GitOpsTool } from '../model';

/** A custom resource kind the agent lists and watches. @public */
export interface InformedKind {
  tool: GitOpsTool;
  kind: GitOpsKind | ContextKind;
  group: string;
  /** Served versions whose fields the normalizers understand, newest first: the agent watches the first one the cluster serves. */
  versions: readonly string[];
  /** Resource name in API paths. */
  plural: string;
}

/** A custom resource the agent watches and reports as records. @public */
export interface WatchedKind extends InformedKind {
  kind: GitOpsKind;
}

/**
 * ArgoCD's AppProject, watched in the control-plane namespace for its sync windows, which
 * each Application of the project carries (`readiness.syncWindows`).
 * @public
 */
export const ARGO_APP_PROJECT_KIND: InformedKind = Object.freeze({
  tool: 'argocd',
  kind: 'AppProject',
  group: 'argoproj.io',
  versions: ['v1alpha1'],
  plural: 'appprojects',
});

/**
 * The watched kinds and the API versions accepted for each, newest first. Only the versions
 * in docs/normalization.md are accepted: older Flux clusters serve only the beta versions,
 * whose differing fields olderVersions.ts rewrites.
 * @public
 */
export const WATCHED_KINDS: readonly WatchedKind[] = Object.freeze([
  {
    tool: 'argocd',
    kind: 'Application',
    group: 'argoproj.io',
    versions: ['v1alpha1'],
    plural: 'applications',
  },
  {
    tool: 'fluxcd',
    kind: 'Kustomization',
    group: 'kustomize.toolkit.fluxcd.io',
    versions: ['v1', 'v1beta2'],
    plural: 'kustomizations',
  },
  {
    tool: 'fluxcd',
    kind: 'HelmRelease',
    group: 'helm.toolkit.fluxcd.io',
    versions: ['v2', 'v2beta2', 'v2beta1'],
    plural: 'helmreleases',
  },
  {
    tool: 'fluxcd',
    kind: 'GitRepository',
    group: 'source.toolkit.fluxcd.io',
    versions: ['v1', 'v1beta2'],
    plural: 'gitrepositories',
  },
  {
    tool: 'fluxcd',
    kind: 'OCIRepository',
    group: 'source.toolkit.fluxcd.io',
    versions: ['v1', 'v1beta2'],
    plural: 'ocirepositories',
  },
  {
    tool: 'fluxcd',
    kind: 'HelmRepository',
    group: 'source.toolkit.fluxcd.io',
    versions: ['v1', 'v1beta2'],
    plural: 'helmrepositories',
  },
] as const);

/** The Flux source kinds the agent watches: what a `sourceRef` resolves to. @public */
export const FLUX_SOURCE_KINDS: readonly GitOpsKind[] = Object.freeze([
  'GitRepository',
  'OCIRepository',
  'HelmRepository',
]);

/** Splits `group/version` (or a core `version`) into its parts. */
export function splitApiVersion(apiVersion: string): {
  group: string;
  version: string;
} {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : {
        group: apiVersion.slice(0, slash),
        version: apiVersion.slice(slash + 1),
      };
}

/** The watched kind of an object, by apiVersion group and kind, or undefined. */
export function watchedKindOf(
  apiVersion: string,
  kind: string,
): WatchedKind | undefined {
  const { group } = splitApiVersion(apiVersion);
  return WATCHED_KINDS.find(w => w.group === group && w.kind === kind);
}

/** Whether an apiVersion is one the normalizer of this watched kind accepts. */
export function acceptsVersion(
  watched: InformedKind,
  apiVersion: string,
): boolean {
  const { group, version } = splitApiVersion(apiVersion);
  return group === watched.group && watched.versions.includes(version);
}
