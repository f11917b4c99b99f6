import { watched } from './buildRecord';
import { normalizeFluxSource } from './fluxSource';
import type { NormalizeResult } from './types';

const HELM_REPOSITORY = watched('HelmRepository');

/**
 * Normalizes a FluxCD `HelmRepository` (source.toolkit.fluxcd.io/v1). It fetches a chart
 * index, not a chosen reference: there is no target revision.
 * @public
 */
export function normalizeFluxHelmRepository(obj: unknown): NormalizeResult {
  return normalizeFluxSource(HELM_REPOSITORY, obj, () => null);
}
