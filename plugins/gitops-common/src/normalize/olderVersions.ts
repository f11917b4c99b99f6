import { splitApiVersion } from './watchedKinds';
import {
  at,
  findCondition,
  isRecord,
  text,
  type ObjectRecord,
} from './objectFields';

/**
 * Flux objects of the older served versions (Kustomization and sources v1beta2, HelmRelease
 * v2beta2 and v2beta1) rewritten into the fields the v1/v2 normalizers read. Where the fields
 * match, the object is returned as it is. Never throws.
 */
export function inCurrentShape(obj: unknown): unknown {
  try {
    if (!isRecord(obj) || typeof obj.apiVersion !== 'string') return obj;
    const { version } = splitApiVersion(obj.apiVersion);
    const status = at(obj, 'status');
    if (!isRecord(status)) return obj;
    switch (obj.kind) {
      case 'Kustomization':
        return version === 'v1beta2' ? withRevisions(obj, status) : obj;
      case 'GitRepository':
      case 'OCIRepository':
      case 'HelmRepository':
        return version === 'v1beta2' ? withArtifactRevision(obj, status) : obj;
      case 'HelmRelease':
        return version === 'v2beta2' || version === 'v2beta1'
          ? withReleaseHistory(obj, status)
          : obj;
      default:
        return obj;
    }
  } catch {
    return obj;
  }
}

/**
 * A revision in the format of controllers before Flux 2.0 (`<branch>/<sha1>`, `HEAD/<sha1>`,
 * `<tag>/<sha256>`, a bare sha256 checksum) in today's `<name>@<algo>:<digest>`.
 */
export function currentRevisionFormat(revision: unknown): unknown {
  if (typeof revision !== 'string' || revision.includes(':')) return revision;
  const named = /^(.+)\/([0-9a-f]{40}|[0-9a-f]{64})$/.exec(revision);
  if (named) {
    const algo = named[2].length === 40 ? 'sha1' : 'sha256';
    return named[1] === 'HEAD'
      ? `${algo}:${named[2]}`
      : `${named[1]}@${algo}:${named[2]}`;
  }
  return /^[0-9a-f]{64}$/.test(revision) ? `sha256:${revision}` : revision;
}

function withRevisions(obj: ObjectRecord, status: ObjectRecord): ObjectRecord {
  return {
    ...obj,
    status: {
      ...status,
      lastAppliedRevision: currentRevisionFormat(status.lastAppliedRevision),
      lastAttemptedRevision: currentRevisionFormat(
        status.lastAttemptedRevision,
      ),
    },
  };
}

function withArtifactRevision(
  obj: ObjectRecord,
  status: ObjectRecord,
): ObjectRecord {
  const artifact = status.artifact;
  if (!isRecord(artifact)) return obj;
  return {
    ...obj,
    status: {
      ...status,
      artifact: {
        ...artifact,
        revision: currentRevisionFormat(artifact.revision),
      },
    },
  };
}

/**
 * v2beta1 (and v2beta2 written by an older controller) has no `status.history`: the applied
 * chart version is `status.lastAppliedRevision`, its Helm release `lastReleaseRevision`, and
 * the deploy time is known only as Ready's last transition.
 */
function withReleaseHistory(
  obj: ObjectRecord,
  status: ObjectRecord,
): ObjectRecord {
  if (Array.isArray(status.history) && status.history.length > 0) return obj;
  const chartVersion = text(status.lastAppliedRevision);
  if (chartVersion === null) return obj;
  const ready = findCondition(status.conditions, 'Ready');
  const release = status.lastReleaseRevision;
  return {
    ...obj,
    status: {
      ...status,
      history: [
        {
          status: 'deployed',
          version: typeof release === 'number' ? release : 0,
          chartName: text(at(obj, 'spec', 'chart', 'spec', 'chart')),
          chartVersion,
          ...(text(ready?.status) === 'True'
            ? { lastDeployed: ready?.lastTransitionTime }
            : {}),
        },
      ],
    },
  };
}
