import { fluxRevisionSyncStatus, stuckReconciliationDrift } from '../drift';
import { buildRecord, watched } from './buildRecord';
import {
  fluxHealth,
  fluxReadiness,
  fluxSuspended,
  readyMessage,
  readyStatus,
  sourceRefUrl,
} from './fluxCommon';
import {
  at,
  findCondition,
  instant,
  instantMillis,
  list,
  text,
} from './objectFields';
import { inCurrentShape } from './olderVersions';
import type { FluxSourceLookup, NormalizeResult } from './types';

const KUSTOMIZATION = watched('Kustomization');

/**
 * Newest `lastReconciled` among successful history snapshots, else Ready's
 * `lastTransitionTime` while Ready=True.
 */
function lastSyncedAtOf(obj: unknown): string | null {
  let newest: string | null = null;
  for (const snapshot of list(at(obj, 'status', 'history'))) {
    if (at(snapshot, 'lastReconciledStatus') !== 'ReconciliationSucceeded') {
      continue;
    }
    const reconciled = instant(at(snapshot, 'lastReconciled'));
    if (
      reconciled !== null &&
      (newest === null || instantMillis(reconciled) > instantMillis(newest))
    ) {
      newest = reconciled;
    }
  }
  if (newest !== null) {
    return newest;
  }
  if (readyStatus(obj) === 'True') {
    return instant(
      findCondition(at(obj, 'status', 'conditions'), 'Ready')
        ?.lastTransitionTime,
    );
  }
  return null;
}

/**
 * Normalizes a FluxCD `Kustomization` (kustomize.toolkit.fluxcd.io/v1).
 * @param sources - known sources, to resolve `spec.sourceRef` to a URL
 * @public
 */
export function normalizeFluxKustomization(
  raw: unknown,
  sources?: FluxSourceLookup,
): NormalizeResult {
  const obj = inCurrentShape(raw);
  return buildRecord(KUSTOMIZATION, obj, ({ namespace }) => {
    const revision = text(at(obj, 'status', 'lastAppliedRevision'));
    const targetRevision = text(at(obj, 'status', 'lastAttemptedRevision'));
    const suspended = fluxSuspended(obj);
    const sourceRef = at(obj, 'spec', 'sourceRef');
    return {
      syncStatus: fluxRevisionSyncStatus(revision, targetRevision),
      healthStatus: fluxHealth(obj),
      source: {
        url: sourceRefUrl(sourceRef, namespace, sources),
        path: text(at(obj, 'spec', 'path')),
        chart: null,
      },
      revision,
      targetRevision,
      autoSync: !suspended,
      suspended,
      lastSyncedAt: lastSyncedAtOf(obj),
      drift: stuckReconciliationDrift(revision, targetRevision),
      message: readyMessage(obj),
      readiness: fluxReadiness(obj, namespace, sourceRef),
    };
  });
}
