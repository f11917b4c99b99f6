import { argoApplicationDrift } from '../drift';
import {
  HEALTH_STATUSES,
  MAX_SYNC_WINDOWS,
  type HealthStatus,
  type Readiness,
  type SyncStatus,
} from '../model';
import { buildRecord, watched } from './buildRecord';
import { at, firstText, instant, isRecord, list, text } from './objectFields';
import type { ArgoProjectLookup, NormalizeResult } from './types';

const APPLICATION = watched('Application');

interface PrimarySource {
  url: string | null;
  path: string | null;
  chart: string | null;
  targetRevision: string | null;
}

/**
 * The primary source, as upstream `ApplicationSpec.GetSource()` picks it: the source
 * hydrator's sync source, else `sources[0]`, else `source`.
 */
function primarySource(spec: unknown): {
  source: PrimarySource;
  multiSource: boolean;
} {
  const hydrator = at(spec, 'sourceHydrator');
  if (isRecord(hydrator)) {
    return {
      source: {
        url: firstText(
          at(hydrator, 'syncSource', 'repoURL'),
          at(hydrator, 'drySource', 'repoURL'),
        ),
        path: text(at(hydrator, 'syncSource', 'path')),
        chart: null,
        targetRevision: text(at(hydrator, 'syncSource', 'targetBranch')),
      },
      multiSource: false,
    };
  }
  const sources = list(at(spec, 'sources'));
  const multiSource = sources.length > 0;
  const source = multiSource ? sources[0] : at(spec, 'source');
  return {
    source: {
      url: text(at(source, 'repoURL')),
      path: text(at(source, 'path')),
      chart: text(at(source, 'chart')),
      targetRevision: text(at(source, 'targetRevision')),
    },
    multiSource,
  };
}

/** `revision`, or `revisions[0]` first for a multi-source app, of a history or sync result entry. */
function entryRevision(entry: unknown, multiSource: boolean): string | null {
  const single = at(entry, 'revision');
  const first = at(entry, 'revisions', 0);
  return multiSource ? firstText(first, single) : firstText(single, first);
}

function syncStatusOf(status: unknown): SyncStatus {
  const value = at(status, 'sync', 'status');
  return value === 'Synced' || value === 'OutOfSync' ? value : 'Unknown';
}

function healthStatusOf(status: unknown): HealthStatus {
  const value = at(status, 'health', 'status');
  return (HEALTH_STATUSES as readonly unknown[]).includes(value)
    ? (value as HealthStatus)
    : 'Unknown';
}

function messageOf(status: unknown, phase: unknown): string | null {
  for (const condition of list(at(status, 'conditions'))) {
    const type = at(condition, 'type');
    const message = text(at(condition, 'message'));
    if (
      typeof type === 'string' &&
      type.endsWith('Error') &&
      message !== null
    ) {
      return message;
    }
  }
  if (phase === 'Failed' || phase === 'Error') {
    const message = text(at(status, 'operationState', 'message'));
    if (message !== null) {
      return message;
    }
  }
  return text(at(status, 'health', 'message'));
}

/** The controller keeps a blocked operation Running with this message (controller/sync.go). */
const SYNC_WINDOW_MESSAGE = /blocked by sync window/i;

/**
 * Why ArgoCD cannot sync the app: an error condition (ComparisonError, SyncError, …),
 * a failed operation, or an operation held by a sync window; else null.
 */
function syncProblemOf(
  status: unknown,
  phase: unknown,
): Readiness['syncProblem'] {
  for (const condition of list(at(status, 'conditions'))) {
    const type = at(condition, 'type');
    if (typeof type === 'string' && type.endsWith('Error')) {
      return { reason: 'syncError', message: text(at(condition, 'message')) };
    }
  }
  const message = text(at(status, 'operationState', 'message'));
  if (phase === 'Failed' || phase === 'Error') {
    return { reason: 'operationFailed', message };
  }
  if (
    phase === 'Running' &&
    message !== null &&
    SYNC_WINDOW_MESSAGE.test(message)
  ) {
    return { reason: 'syncWindow', message };
  }
  return null;
}

/** The AppProject a raw Application belongs to: `spec.project`, ArgoCD's `default` when unnamed. @public */
export function argoProjectOf(app: unknown): string {
  return text(at(app, 'spec', 'project')) ?? 'default';
}

/** The windows of the app's project that match it. */
function syncWindowsOf(
  app: unknown,
  name: string,
  projects: ArgoProjectLookup | undefined,
): Pick<Readiness, 'syncWindows'> {
  const destination = at(app, 'spec', 'destination');
  const windows = projects?.syncWindowsFor(argoProjectOf(app), {
    name,
    server: text(at(destination, 'server')) ?? '',
    destinationName: text(at(destination, 'name')) ?? '',
    namespace: text(at(destination, 'namespace')) ?? '',
  });
  return windows ? { syncWindows: windows.slice(0, MAX_SYNC_WINDOWS) } : {};
}

/**
 * Normalizes an ArgoCD `Application` (argoproj.io/v1alpha1), in any namespace.
 * @param projects - known AppProjects, for the sync windows that apply to the app
 * @public
 */
export function normalizeArgoApplication(
  obj: unknown,
  projects?: ArgoProjectLookup,
): NormalizeResult {
  return buildRecord(APPLICATION, obj, identity => {
    const spec = at(obj, 'spec');
    const status = at(obj, 'status');
    const { source, multiSource } = primarySource(spec);

    const operation = at(status, 'operationState');
    const phase = at(operation, 'phase');
    const succeeded = phase === 'Succeeded';
    const history = list(at(status, 'history'));
    // An entry that is not an object still counts as history, just without fields.
    const lastDeployment: unknown = history.length
      ? history[history.length - 1] ?? {}
      : undefined;

    let revision: string | null = null;
    if (lastDeployment) {
      revision = entryRevision(lastDeployment, multiSource);
    } else if (succeeded) {
      // syncResult carries the attempted revision even when the sync failed.
      revision = entryRevision(at(operation, 'syncResult'), multiSource);
    }

    const targetRevision = firstText(
      at(status, 'sync', 'revision'),
      at(status, 'sync', 'revisions', 0),
      source.targetRevision,
    );

    const automated = at(spec, 'syncPolicy', 'automated');
    const autoSync = isRecord(automated) && at(automated, 'enabled') !== false;

    const lastSyncedAt =
      (succeeded ? instant(at(operation, 'finishedAt')) : null) ??
      instant(at(lastDeployment, 'deployedAt'));

    const syncStatus = syncStatusOf(status);
    const healthStatus = healthStatusOf(status);
    return {
      syncStatus,
      healthStatus,
      source: { url: source.url, path: source.path, chart: source.chart },
      revision,
      targetRevision,
      autoSync,
      suspended: healthStatus === 'Suspended',
      lastSyncedAt,
      drift: argoApplicationDrift(syncStatus, targetRevision, revision),
      message: messageOf(status, phase),
      readiness: {
        waitsOn: [],
        syncProblem: syncProblemOf(status, phase),
        ...syncWindowsOf(obj, identity.name, projects),
      },
    };
  });
}
