import {
  NO_DRIFT,
  argoApplicationDrift,
  combineDrift,
  fluxRevisionSyncStatus,
  helmReleaseDrift,
  stuckReconciliationDrift,
} from './drift';

describe('drift rules', () => {
  it('ArgoCD: drifted exactly when OutOfSync', () => {
    expect(argoApplicationDrift('Synced', 'b', 'a')).toEqual(NO_DRIFT);
    expect(argoApplicationDrift('Unknown', 'b', 'a')).toEqual(NO_DRIFT);
    expect(argoApplicationDrift('OutOfSync', 'b', 'a')).toEqual({
      detected: true,
      reason: 'OutOfSync with b (last synced a)',
    });
    expect(argoApplicationDrift('OutOfSync', null, null).reason).toBe(
      'OutOfSync with the desired state (never synced)',
    );
  });

  it('FluxCD: stuck when both revisions are known and differ', () => {
    expect(stuckReconciliationDrift(null, 'b')).toEqual(NO_DRIFT);
    expect(stuckReconciliationDrift('a', null)).toEqual(NO_DRIFT);
    expect(stuckReconciliationDrift('a', 'a')).toEqual(NO_DRIFT);
    expect(stuckReconciliationDrift('main@sha1:abc', 'main@sha1:def')).toEqual({
      detected: true,
      reason:
        'Stuck reconciliation: last applied main@sha1:abc, last attempted main@sha1:def',
    });
  });

  it('HelmRelease: drifted when Drifted=True', () => {
    expect(helmReleaseDrift('False', 'x')).toEqual(NO_DRIFT);
    expect(helmReleaseDrift(null, null)).toEqual(NO_DRIFT);
    expect(helmReleaseDrift('True', null).reason).toBe(
      'Helm release drifted from its desired state (Drifted=True)',
    );
  });

  it('combines reports, keeping every reason', () => {
    expect(combineDrift(NO_DRIFT, NO_DRIFT)).toEqual(NO_DRIFT);
    expect(
      combineDrift(
        stuckReconciliationDrift('a', 'b'),
        helmReleaseDrift('True', 'm'),
      ),
    ).toEqual({
      detected: true,
      reason:
        'Stuck reconciliation: last applied a, last attempted b; Helm release drifted from its desired state (Drifted=True): m',
    });
  });

  it('FluxCD sync status from the two revisions', () => {
    expect(fluxRevisionSyncStatus(null, null)).toBe('Unknown');
    expect(fluxRevisionSyncStatus('a', null)).toBe('Unknown');
    expect(fluxRevisionSyncStatus(null, 'a')).toBe('Unknown');
    expect(fluxRevisionSyncStatus('a', 'a')).toBe('Synced');
    expect(fluxRevisionSyncStatus('a', 'b')).toBe('OutOfSync');
  });
});
