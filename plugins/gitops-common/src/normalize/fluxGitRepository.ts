import { NO_DRIFT } from '../drift';
import type { SyncStatus } from '../model';
import { buildRecord, watched } from './buildRecord';
import {
  fluxHealth,
  fluxSuspended,
  readyMessage,
  readyStatus,
} from './fluxCommon';
import { at, firstText, instant, text } from './objectFields';
import type { NormalizeResult } from './types';

const GIT_REPOSITORY = watched('GitRepository');

/** source-controller checks out `master` when no reference field is set. */
const DEFAULT_BRANCH = 'master';

/** The reference source-controller checks out, by its precedence: commit, name, semver, tag, branch. */
function checkedOutRef(ref: unknown): string {
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

function syncStatusOf(obj: unknown): SyncStatus {
  switch (readyStatus(obj)) {
    case 'True':
      return 'Synced';
    case 'False':
      return 'OutOfSync';
    default:
      return 'Unknown';
  }
}

/**
 * Normalizes a FluxCD `GitRepository` (source.toolkit.fluxcd.io/v1). A source never
 * drifts: it only fetches.
 * @public
 */
export function normalizeFluxGitRepository(obj: unknown): NormalizeResult {
  return buildRecord(GIT_REPOSITORY, obj, () => {
    const suspended = fluxSuspended(obj);
    return {
      syncStatus: syncStatusOf(obj),
      healthStatus: fluxHealth(obj),
      source: { url: text(at(obj, 'spec', 'url')), path: null, chart: null },
      revision: text(at(obj, 'status', 'artifact', 'revision')),
      targetRevision: checkedOutRef(at(obj, 'spec', 'ref')),
      autoSync: !suspended,
      suspended,
      lastSyncedAt: instant(at(obj, 'status', 'artifact', 'lastUpdateTime')),
      drift: NO_DRIFT,
      message: readyMessage(obj),
    };
  });
}
