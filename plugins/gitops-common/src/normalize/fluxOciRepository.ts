import { watched } from './buildRecord';
import { normalizeFluxSource } from './fluxSource';
import { at, firstText } from './objectFields';
import type { NormalizeResult } from './types';

const OCI_REPOSITORY = watched('OCIRepository');

/** source-controller pulls the `latest` tag when no reference field is set. */
const DEFAULT_TAG = 'latest';

/** The reference source-controller pulls, by its precedence: digest, semver, tag. */
function pulledRef(obj: unknown): string {
  const ref = at(obj, 'spec', 'ref');
  return (
    firstText(at(ref, 'digest'), at(ref, 'semver'), at(ref, 'tag')) ??
    DEFAULT_TAG
  );
}

/**
 * Normalizes a FluxCD `OCIRepository` (source.toolkit.fluxcd.io/v1).
 * @public
 */
export function normalizeFluxOciRepository(obj: unknown): NormalizeResult {
  return normalizeFluxSource(OCI_REPOSITORY, obj, pulledRef);
}
