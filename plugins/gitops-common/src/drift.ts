import type { GitOpsResource, SyncStatus } from './model';

/**
 * Whether a resource's cluster state has drifted from what Git declares, and why.
 * `reason` is a non-empty, human-readable sentence exactly when `detected` is true.
 * @public
 */
export type DriftReport = GitOpsResource['drift'];

/** The report for a resource that has not drifted. @public */
export const NO_DRIFT: DriftReport = Object.freeze({
  detected: false,
  reason: null,
}) as DriftReport;

function drifted(reason: string): DriftReport {
  return { detected: true, reason };
}

/**
 * ArgoCD: an Application drifts when its sync status is `OutOfSync`.
 * @param targetRevision - the desired revision, named in the reason when known
 * @param revision - the last synced revision, named in the reason when known
 * @public
 */
export function argoApplicationDrift(
  syncStatus: SyncStatus,
  targetRevision: string | null,
  revision: string | null,
): DriftReport {
  if (syncStatus !== 'OutOfSync') {
    return NO_DRIFT;
  }
  const desired = targetRevision ?? 'the desired state';
  const current =
    revision === null ? 'never synced' : `last synced ${revision}`;
  return drifted(`OutOfSync with ${desired} (${current})`);
}

/**
 * FluxCD: a reconciliation is stuck when the last applied revision differs from the
 * last attempted one. Both must be known.
 * @public
 */
export function stuckReconciliationDrift(
  lastApplied: string | null,
  lastAttempted: string | null,
): DriftReport {
  if (
    lastApplied === null ||
    lastAttempted === null ||
    lastApplied === lastAttempted
  ) {
    return NO_DRIFT;
  }
  return drifted(
    `Stuck reconciliation: last applied ${lastApplied}, last attempted ${lastAttempted}`,
  );
}

/**
 * FluxCD HelmRelease: helm-controller's drift detection sets the `Drifted` condition
 * to `True` when the cluster no longer matches the deployed release.
 * @param message - the Drifted condition's message, appended when non-empty
 * @public
 */
export function helmReleaseDrift(
  driftedConditionStatus: string | null,
  message: string | null,
): DriftReport {
  if (driftedConditionStatus !== 'True') {
    return NO_DRIFT;
  }
  const base = 'Helm release drifted from its desired state (Drifted=True)';
  return drifted(message ? `${base}: ${message}` : base);
}

/** Joins several reports: drifted when any is, with every reason. @public */
export function combineDrift(...reports: DriftReport[]): DriftReport {
  const reasons = reports
    .filter(r => r.detected && r.reason)
    .map(r => r.reason as string);
  return reasons.length ? drifted(reasons.join('; ')) : NO_DRIFT;
}

/**
 * FluxCD Kustomization and HelmRelease sync status from the applied and attempted
 * revisions: `Unknown` when either is missing, `Synced` when equal, else `OutOfSync`.
 * @public
 */
export function fluxRevisionSyncStatus(
  lastApplied: string | null,
  lastAttempted: string | null,
): SyncStatus {
  if (lastApplied === null || lastAttempted === null) {
    return 'Unknown';
  }
  return lastApplied === lastAttempted ? 'Synced' : 'OutOfSync';
}
