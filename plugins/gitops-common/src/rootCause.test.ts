import type {
  GitOpsResource,
  GitOpsResourceKey,
  SyncWindow,
  WaitRef,
} from './model';
import {
  describeRootCause,
  resolveRootCause,
  type RootCause,
} from './rootCause';

function flux(
  kind: GitOpsResource['kind'],
  name: string,
  fields: Partial<GitOpsResource> = {},
): GitOpsResource {
  return {
    tool: 'fluxcd',
    kind,
    namespace: 'flux-system',
    name,
    uid: `uid-${name}`,
    syncStatus: 'Synced',
    healthStatus: 'Healthy',
    source: { url: null, path: null, chart: null },
    revision: null,
    targetRevision: null,
    autoSync: true,
    suspended: false,
    lastSyncedAt: null,
    drift: { detected: false, reason: null },
    entityAnnotation: null,
    message: null,
    readiness: { waitsOn: [], syncProblem: null },
    ...fields,
  };
}

function waitsOn(...refs: Array<[WaitRef['role'], string, string]>) {
  return {
    readiness: {
      waitsOn: refs.map(([role, kind, name]) => ({
        role,
        kind,
        namespace: 'flux-system',
        name,
      })),
      syncProblem: null,
    },
  };
}

const failingRepo = flux('GitRepository', 'fleet-infra', {
  healthStatus: 'Degraded',
  syncStatus: 'OutOfSync',
  message: 'authentication failed',
});
const healthyRepo = flux('GitRepository', 'fleet-infra');
const fetchingRepo = flux('GitRepository', 'fleet-infra', {
  healthStatus: 'Progressing',
});
const infra = flux('Kustomization', 'infra', {
  healthStatus: 'Progressing',
  message: 'reconciliation in progress',
  ...waitsOn(['source', 'GitRepository', 'fleet-infra']),
});
const infraOnFailingRepo = infra;
const apps = flux('Kustomization', 'apps', {
  ...waitsOn(
    ['source', 'GitRepository', 'fleet-infra'],
    ['dependsOn', 'Kustomization', 'infra'],
  ),
});

function lookupOf(...stored: GitOpsResource[]) {
  return (key: GitOpsResourceKey) =>
    stored.find(
      r =>
        r.tool === key.tool &&
        r.kind === key.kind &&
        r.namespace === key.namespace &&
        r.name === key.name,
    );
}

/** Any instant: nothing in the Flux cases depends on the time. */
const NOW = Date.parse('2026-03-02T22:30:00Z');
const nightlyDeny: SyncWindow = {
  kind: 'deny',
  schedule: '0 22 * * *',
  duration: '1h',
  timeZone: 'UTC',
  manualSync: false,
};

const blocker = (
  reason: RootCause['reason'],
  kind: RootCause['kind'],
  name: string,
  message: string | null,
): RootCause => ({ reason, kind, namespace: 'flux-system', name, message });

describe('resolveRootCause', () => {
  it.each<[string, GitOpsResource, GitOpsResource[], RootCause | null]>([
    [
      'source not ready',
      apps,
      [failingRepo],
      blocker(
        'sourceNotReady',
        'GitRepository',
        'fleet-infra',
        'authentication failed',
      ),
    ],
    [
      'source suspended: the source is the blocker, as suspended',
      apps,
      [
        flux('GitRepository', 'fleet-infra', {
          suspended: true,
          healthStatus: 'Suspended',
        }),
      ],
      blocker('suspended', 'GitRepository', 'fleet-infra', null),
    ],
    [
      'a source still fetching does not block (Flux applies its last artifact)',
      flux(
        'Kustomization',
        'apps',
        waitsOn(['source', 'GitRepository', 'fleet-infra']),
      ),
      [fetchingRepo],
      null,
    ],
    [
      'dependsOn not ready',
      apps,
      [
        healthyRepo,
        flux('Kustomization', 'infra', {
          healthStatus: 'Degraded',
          message: 'health check failed',
        }),
      ],
      blocker(
        'dependencyNotReady',
        'Kustomization',
        'infra',
        'health check failed',
      ),
    ],
    [
      'dependsOn not ready because of its own source: the chain ends at that source',
      flux(
        'Kustomization',
        'apps',
        waitsOn(['dependsOn', 'Kustomization', 'infra']),
      ),
      [infraOnFailingRepo, failingRepo],
      blocker(
        'sourceNotReady',
        'GitRepository',
        'fleet-infra',
        'authentication failed',
      ),
    ],
    [
      'suspended itself, before any source',
      { ...apps, suspended: true, healthStatus: 'Suspended' },
      [failingRepo],
      blocker('suspended', 'Kustomization', 'apps', null),
    ],
    [
      'ArgoCD sync window',
      {
        ...flux('Kustomization', 'x'),
        tool: 'argocd',
        kind: 'Application',
        namespace: 'argocd',
        name: 'checkout',
        readiness: {
          waitsOn: [],
          syncProblem: {
            reason: 'syncWindow',
            message: 'Sync operation blocked by sync window',
          },
        },
      },
      [],
      {
        reason: 'syncWindow',
        kind: 'Application',
        namespace: 'argocd',
        name: 'checkout',
        message: 'Sync operation blocked by sync window',
      },
    ],
    [
      'ArgoCD suspended health is not a Flux suspend: nothing known blocks it',
      {
        ...flux('Kustomization', 'x'),
        tool: 'argocd',
        kind: 'Application',
        suspended: true,
        healthStatus: 'Suspended',
      },
      [],
      null,
    ],
    [
      'nothing wrong',
      apps,
      [healthyRepo, flux('Kustomization', 'infra')],
      null,
    ],
    ['sources and dependencies not stored are passed over', apps, [], null],
    [
      'kinds no agent reports (Bucket) are passed over',
      flux('Kustomization', 'apps', waitsOn(['source', 'Bucket', 'b'])),
      [],
      null,
    ],
    [
      'a record from an older agent, without readiness',
      { ...apps, readiness: undefined },
      [failingRepo],
      null,
    ],
  ])('%s', (_label, resource, stored, expected) => {
    expect(resolveRootCause(resource, lookupOf(...stored), NOW)).toEqual(
      expected,
    );
  });

  it('ends on a dependsOn cycle instead of looping', () => {
    const a = flux('Kustomization', 'a', {
      healthStatus: 'Progressing',
      ...waitsOn(['dependsOn', 'Kustomization', 'b']),
    });
    const b = flux('Kustomization', 'b', {
      healthStatus: 'Progressing',
      ...waitsOn(['dependsOn', 'Kustomization', 'a']),
    });
    expect(resolveRootCause(a, lookupOf(a, b), NOW)).toEqual(
      blocker('dependencyNotReady', 'Kustomization', 'b', null),
    );
  });
});

describe('resolveRootCause: sync windows of the ArgoCD project', () => {
  const app = (fields: Partial<GitOpsResource> = {}, windows = [nightlyDeny]) =>
    flux('Kustomization', 'x', {
      tool: 'argocd',
      kind: 'Application',
      namespace: 'argocd',
      name: 'checkout',
      syncStatus: 'OutOfSync',
      ...fields,
      readiness: { waitsOn: [], syncProblem: null, syncWindows: windows },
    });
  const during = Date.parse('2026-03-02T22:30:00Z');
  const after = Date.parse('2026-03-02T23:30:00Z');
  const windowCause = (message: string): RootCause => ({
    reason: 'syncWindow',
    kind: 'Application',
    namespace: 'argocd',
    name: 'checkout',
    message,
  });

  it('an open deny window holds an app that auto-syncs, named with when it closes', () => {
    expect(resolveRootCause(app(), lookupOf(), during)).toEqual(
      windowCause('sync window deny `0 22 * * *` for 1h (until 23:00 UTC)'),
    );
  });

  it('is read at the time given: after the window nothing holds it', () => {
    expect(resolveRootCause(app(), lookupOf(), after)).toBeNull();
  });

  it('an app in sync waits for nothing', () => {
    expect(
      resolveRootCause(app({ syncStatus: 'Synced' }), lookupOf(), during),
    ).toBeNull();
  });

  it('an app synced by hand is held only when manual syncs are', () => {
    const manualApp = app({ autoSync: false }, [
      { ...nightlyDeny, manualSync: true },
    ]);
    expect(resolveRootCause(manualApp, lookupOf(), during)).toBeNull();
    expect(
      resolveRootCause(app({ autoSync: false }), lookupOf(), during),
    ).toEqual(
      windowCause('sync window deny `0 22 * * *` for 1h (until 23:00 UTC)'),
    );
  });

  it("the tool's own sync problem comes first", () => {
    const failing = app();
    failing.readiness!.syncProblem = {
      reason: 'syncError',
      message: 'repository not accessible',
    };
    expect(resolveRootCause(failing, lookupOf(), during)?.reason).toBe(
      'syncError',
    );
  });
});

describe('describeRootCause', () => {
  it('names the blocking object and its message', () => {
    expect(
      describeRootCause(
        blocker(
          'sourceNotReady',
          'GitRepository',
          'fleet-infra',
          'authentication failed',
        ),
      ),
    ).toBe('GitRepository flux-system/fleet-infra — authentication failed');
  });

  it('falls back to the reason without a message', () => {
    expect(
      describeRootCause(blocker('suspended', 'Kustomization', 'apps', null)),
    ).toBe('Kustomization flux-system/apps — suspended');
  });
});
