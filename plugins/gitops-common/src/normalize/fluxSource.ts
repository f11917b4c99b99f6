import { NO_DRIFT } from '../drift';
import type { SyncStatus } from '../model';
import { buildRecord } from './buildRecord';
import {
  NOTHING_AWAITED,
  fluxHealth,
  fluxSuspended,
  readyMessage,
  readyStatus,
} from './fluxCommon';
import { at, instant, text } from './objectFields';
import { inCurrentShape } from './olderVersions';
import type { NormalizeResult } from './types';
import type { WatchedKind } from './watchedKinds';

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
 * Normalizes a Flux source (GitRepository, OCIRepository, HelmRepository): its URL, the
 * artifact it fetched, and the reference it fetches. A source never drifts: it only fetches.
 */
export function normalizeFluxSource(
  kind: WatchedKind,
  raw: unknown,
  targetRevisionOf: (obj: unknown) => string | null,
): NormalizeResult {
  const obj = inCurrentShape(raw);
  return buildRecord(kind, obj, () => {
    const suspended = fluxSuspended(obj);
    return {
      syncStatus: syncStatusOf(obj),
      healthStatus: fluxHealth(obj),
      source: { url: text(at(obj, 'spec', 'url')), path: null, chart: null },
      revision: text(at(obj, 'status', 'artifact', 'revision')),
      targetRevision: targetRevisionOf(obj),
      autoSync: !suspended,
      suspended,
      lastSyncedAt: instant(at(obj, 'status', 'artifact', 'lastUpdateTime')),
      drift: NO_DRIFT,
      message: readyMessage(obj),
      readiness: NOTHING_AWAITED,
    };
  });
}
