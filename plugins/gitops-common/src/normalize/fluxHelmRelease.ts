import {
  combineDrift,
  fluxRevisionSyncStatus,
  helmReleaseDrift,
  stuckReconciliationDrift,
} from '../drift';
import { buildRecord, watched } from './buildRecord';
import {
  fluxHealth,
  fluxReadiness,
  fluxSuspended,
  readyMessage,
  sourceRefUrl,
} from './fluxCommon';
import {
  at,
  findCondition,
  instant,
  isRecord,
  list,
  text,
  type ObjectRecord,
} from './objectFields';
import { inCurrentShape } from './olderVersions';
import type { FluxSourceLookup, NormalizeResult } from './types';

const HELM_RELEASE = watched('HelmRelease');

function versionOf(snapshot: ObjectRecord): number {
  const version = snapshot.version;
  return typeof version === 'number' && !Number.isNaN(version)
    ? version
    : -Infinity;
}

/** The snapshot with the highest Helm release version (the first of equals). */
function highestVersion(snapshots: ObjectRecord[]): ObjectRecord | undefined {
  let best: ObjectRecord | undefined;
  for (const snapshot of snapshots) {
    if (best === undefined || versionOf(snapshot) > versionOf(best)) {
      best = snapshot;
    }
  }
  return best;
}

/**
 * Normalizes a FluxCD `HelmRelease` (helm.toolkit.fluxcd.io/v2). v2 has no
 * `status.lastAppliedRevision`: the applied revision is the chart version of the
 * deployed release in `status.history`.
 * @param sources - known sources, to resolve `spec.chart.spec.sourceRef` to a URL
 * @public
 */
export function normalizeFluxHelmRelease(
  raw: unknown,
  sources?: FluxSourceLookup,
): NormalizeResult {
  const obj = inCurrentShape(raw);
  return buildRecord(HELM_RELEASE, obj, ({ namespace }) => {
    const snapshots = list(at(obj, 'status', 'history')).filter(isRecord);
    const deployed = highestVersion(
      snapshots.filter(s => s.status === 'deployed'),
    );
    const revision = text(deployed?.chartVersion);
    const targetRevision = text(at(obj, 'status', 'lastAttemptedRevision'));

    const chartTemplate = at(obj, 'spec', 'chart');
    let chart: string | null = null;
    if (isRecord(chartTemplate)) {
      chart = text(at(chartTemplate, 'spec', 'chart'));
    } else if (isRecord(at(obj, 'spec', 'chartRef'))) {
      // A chartRef names an OCIRepository or HelmChart; the chart name is only in the history.
      chart = text(highestVersion(snapshots)?.chartName);
    }

    const drifted = findCondition(at(obj, 'status', 'conditions'), 'Drifted');
    const suspended = fluxSuspended(obj);
    return {
      syncStatus: fluxRevisionSyncStatus(revision, targetRevision),
      healthStatus: fluxHealth(obj),
      source: {
        url: sourceRefUrl(
          at(chartTemplate, 'spec', 'sourceRef'),
          namespace,
          sources,
        ),
        path: null,
        chart,
      },
      revision,
      targetRevision,
      autoSync: !suspended,
      suspended,
      lastSyncedAt: instant(deployed?.lastDeployed),
      drift: combineDrift(
        stuckReconciliationDrift(revision, targetRevision),
        helmReleaseDrift(text(drifted?.status), text(drifted?.message)),
      ),
      message: readyMessage(obj),
      // A chartRef names an OCIRepository or HelmChart directly; a chart template names its source.
      readiness: fluxReadiness(
        obj,
        namespace,
        isRecord(chartTemplate)
          ? at(chartTemplate, 'spec', 'sourceRef')
          : at(obj, 'spec', 'chartRef'),
      ),
    };
  });
}
