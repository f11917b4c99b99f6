export { normalizeObject } from './normalizeObject';
export { normalizeArgoApplication } from './argoApplication';
export { normalizeFluxKustomization } from './fluxKustomization';
export { normalizeFluxHelmRelease } from './fluxHelmRelease';
export { normalizeFluxGitRepository } from './fluxGitRepository';
export { normalizeFluxOciRepository } from './fluxOciRepository';
export { normalizeFluxHelmRepository } from './fluxHelmRepository';
export { FluxSourceIndex } from './fluxSourceIndex';
export { describeRawObject } from './objectMeta';
export {
  FLUX_SOURCE_KINDS,
  WATCHED_KINDS,
  type WatchedKind,
} from './watchedKinds';
export type { FluxSourceLookup, NormalizeResult } from './types';
