export { normalizeObject } from './normalizeObject';
export { normalizeArgoApplication } from './argoApplication';
export { normalizeFluxKustomization } from './fluxKustomization';
export { normalizeFluxHelmRelease } from './fluxHelmRelease';
export { normalizeFluxGitRepository } from './fluxGitRepository';
export { FluxSourceIndex } from './fluxSourceIndex';
export { describeRawObject } from './objectMeta';
export { WATCHED_KINDS, type WatchedKind } from './watchedKinds';
export type { FluxSourceLookup, NormalizeResult } from './types';
