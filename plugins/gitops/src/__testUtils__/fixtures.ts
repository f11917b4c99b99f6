import type {
  ClusterView,
  GitOpsResourceView,
} from '@shoehorn/plugin-gitops-common';

const SHA = '4f2c9e1d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d';

/** A resource view with sensible defaults; tests override what they assert on. */
export function resourceView(
  overrides: Partial<GitOpsResourceView> & { name: string },
): GitOpsResourceView {
  return {
    id: `id-${overrides.cluster ?? 'prod-eu'}-${overrides.name}`,
    tool: 'argocd',
    kind: 'Application',
    namespace: 'argocd',
    uid: `uid-${overrides.name}`,
    syncStatus: 'Synced',
    healthStatus: 'Healthy',
    source: {
      url: `https://github.com/acme/${overrides.name}.git`,
      path: 'deploy',
      chart: null,
    },
    revision: SHA,
    targetRevision: 'main',
    autoSync: true,
    suspended: false,
    lastSyncedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    drift: { detected: false, reason: null },
    entityAnnotation: null,
    message: null,
    cluster: 'prod-eu',
    clusterState: 'connected',
    link: { status: 'unlinked', entityRef: null, candidates: [] },
    observedAt: new Date().toISOString(),
    rootCause: null,
    stale: false,
    ...overrides,
  };
}

export const FLEET: GitOpsResourceView[] = [
  resourceView({
    name: 'checkout-api',
    link: {
      status: 'annotation',
      entityRef: 'component:default/checkout-api',
      candidates: [],
    },
    entityAnnotation: 'checkout-api',
  }),
  resourceView({
    name: 'storefront',
    syncStatus: 'OutOfSync',
    drift: {
      detected: true,
      reason: 'Live state differs from Git (OutOfSync)',
    },
    link: {
      status: 'name',
      entityRef: 'component:default/storefront',
      candidates: [],
    },
  }),
  resourceView({
    name: 'payments-worker',
    cluster: 'prod-us',
    tool: 'fluxcd',
    kind: 'Kustomization',
    namespace: 'flux-system',
    healthStatus: 'Degraded',
    revision: `main@sha1:${SHA}`,
    targetRevision: 'main@sha1:0123456789abcdef0123456789abcdef01234567',
    syncStatus: 'OutOfSync',
    drift: {
      detected: true,
      reason:
        'Reconciliation stuck: applied main@sha1:4f2c9e1 but attempted main@sha1:0123456',
    },
    source: {
      url: 'https://gitlab.com/acme/payments.git',
      path: './deploy',
      chart: null,
    },
    link: {
      status: 'annotation',
      entityRef: 'component:default/payments-worker',
      candidates: [],
    },
  }),
  resourceView({
    name: 'legacy-batch',
    cluster: 'edge-lab',
    clusterState: 'stale',
    tool: 'fluxcd',
    kind: 'HelmRelease',
    namespace: 'batch',
    healthStatus: 'Suspended',
    suspended: true,
    autoSync: false,
    source: {
      url: 'ssh://git@example.org/acme/batch.git',
      path: null,
      chart: 'batch',
    },
    revision: '1.4.2',
  }),
];

export const CLUSTERS: ClusterView[] = [
  {
    name: 'prod-eu',
    state: 'connected',
    lastSeenAt: new Date().toISOString(),
    lastRefusedPush: null,
    agents: [
      {
        tool: 'argocd',
        version: '0.1.0',
        session: 's1',
        capabilities: { sync: false, refresh: false },
        state: 'connected',
        lastSeenAt: new Date().toISOString(),
        kinds: null,
        lastRefusedPush: null,
      },
    ],
  },
  {
    name: 'prod-us',
    state: 'connected',
    lastSeenAt: new Date().toISOString(),
    lastRefusedPush: null,
    agents: [
      {
        tool: 'fluxcd',
        version: '0.1.0',
        session: 's2',
        capabilities: { sync: true, refresh: true },
        state: 'connected',
        lastSeenAt: new Date().toISOString(),
        kinds: null,
        lastRefusedPush: null,
      },
    ],
  },
  {
    name: 'edge-lab',
    state: 'stale',
    lastSeenAt: new Date(Date.now() - 6 * 60_000).toISOString(),
    lastRefusedPush: null,
    agents: [
      {
        tool: 'fluxcd',
        version: '0.1.0',
        session: 's3',
        capabilities: { sync: true, refresh: true },
        state: 'stale',
        lastSeenAt: new Date(Date.now() - 6 * 60_000).toISOString(),
        kinds: null,
        lastRefusedPush: null,
      },
    ],
  },
];
