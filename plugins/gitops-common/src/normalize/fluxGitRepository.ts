import { watched } from './buildRecord';
import { normalizeFluxSource } from './fluxSource';
import { at, firstText } from './objectFields';
import type { NormalizeResult } from './types';

const GIT_REPOSITORY = watched('GitRepository');

/** source-controller checks out `master` when no reference field is set. */
const DEFAULT_BRANCH = 'master';

/** The reference source-controller checks out, by its precedence: commit, name, semver, tag, branch. */
function checkedOutRef(obj: unknown): string {
  const ref = at(obj, 'spec', 'ref');
  return (
    firstText(
      at(ref, 'commit'),
      at(ref, 'name'),
      at(ref, 'semver'),
      at(ref, 'tag'),
      at(ref, 'branch'),
    ) ?? DEFAULT_BRANCH
  );
}

/**
 * Normalizes a FluxCD `GitRepository` (source.toolkit.fluxcd.io/v1).
 * @public
 */
export function normalizeFluxGitRepository(obj: unknown): NormalizeResult {
  return normalizeFluxSource(GIT_REPOSITORY, obj, checkedOutRef);
}
