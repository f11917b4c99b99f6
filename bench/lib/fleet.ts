/* Deterministic fleets of normalized resources, shaped like a real mix of ArgoCD apps. */
import type {
  GitOpsResource,
  PushRequest,
} from '@shoehorn/plugin-gitops-common';
import { MAX_PUSH_BYTES } from '@shoehorn/plugin-gitops-common';
import { splitIntoParts } from '../../agent/src/pipeline/PushSender';

// The room the agent's sender leaves for the envelope around the records.
const ENVELOPE_BYTES = 16 * 1024;

const SYNC = [
  'Synced',
  'Synced',
  'Synced',
  'Synced',
  'Synced',
  'Synced',
  'Synced',
  'OutOfSync',
  'OutOfSync',
  'Unknown',
] as const;
const HEALTH = [
  'Healthy',
  'Healthy',
  'Healthy',
  'Healthy',
  'Healthy',
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
] as const;

/** Resource number `i` of a cluster; `generation` changes the revision (a changed snapshot). */
export function fleetResource(i: number, generation = 0): GitOpsResource {
  const sync = SYNC[(i * 7) % SYNC.length];
  const health = HEALTH[(i * 3) % HEALTH.length];
  const name = `svc-${i}`;
  const revision = `${(i * 2654435761 + generation)
    .toString(16)
    .padStart(8, '0')}${generation.toString(16)}`;
  return {
    tool: 'argocd',
    kind: 'Application',
    namespace: `team-${i % 50}`,
    name,
    uid: `0000${i.toString(16)}-bench-uid-${generation}`.slice(0, 36),
    syncStatus: sync,
    healthStatus: health,
    source: {
      url: `https://git.example.com/team-${i % 50}/${name}.git`,
      path: `deploy/overlays/prod`,
      chart: null,
    },
    revision,
    targetRevision: sync === 'Synced' ? revision : 'main',
    autoSync: i % 4 !== 0,
    suspended: health === 'Suspended',
    lastSyncedAt: new Date(
      Date.UTC(2025, 5, 1) + i * 37_000 + generation * 1000,
    ).toISOString(),
    drift:
      sync === 'OutOfSync'
        ? { detected: true, reason: 'live state differs from Git' }
        : { detected: false, reason: null },
    entityAnnotation: i % 25 === 0 ? `svc-${i}` : null,
    message:
      health === 'Degraded'
        ? `Deployment svc-${i} exceeded its progress deadline`
        : null,
  };
}

export function fleet(
  count: number,
  generation = 0,
  offset = 0,
): GitOpsResource[] {
  return Array.from({ length: count }, (_, i) =>
    fleetResource(offset + i, generation),
  );
}

export function agentInfo(session: string): PushRequest['agent'] {
  return {
    version: 'bench',
    session,
    tool: 'argocd',
    capabilities: { sync: true, refresh: true },
  };
}

/** The pushes of one snapshot, split into parts the way the agent's sender splits them. */
export function snapshotPushes(
  session: string,
  seq: number,
  resources: GitOpsResource[],
): PushRequest[] {
  const parts = splitIntoParts(resources, MAX_PUSH_BYTES - ENVELOPE_BYTES);
  return parts.map((upserts, index) => ({
    agent: agentInfo(session),
    seq,
    type: 'snapshot' as const,
    upserts,
    deletes: [],
    ...(parts.length > 1 ? { part: index + 1, parts: parts.length } : {}),
  }));
}
