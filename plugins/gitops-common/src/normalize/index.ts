export { normalizeObject } from './normalizeObject';
export { argoProjectOf, normalizeArgoApplication } from './argoApplication';
export { normalizeFluxKustomization } from './fluxKustomization';
export { normalizeFluxHelmRelease } from './fluxHelmRelease';
export { normalizeFluxGitRepository } from './fluxGitRepository';
export { normalizeFluxOciRepository } from './fluxOciRepository';
export { normalizeFluxHelmRepository } from './fluxHelmRepository';
export { FluxSourceIndex } from './fluxSourceIndex';
export { ArgoProjectIndex } from './argoProjectIndex';
export { describeRawObject } from './objectMeta';
export {
  ARGO_APP_PROJECT_KIND,
  FLUX_SOURCE_KINDS,
  WATCHED_KINDS,
  type InformedKind,
  type WatchedKind,
} from './watchedKinds';
export type {
  ArgoProjectLookup,
  ArgoSyncTarget,
  FluxSourceLookup,
  NormalizeResult,
} from './types';
