/*
 * FluxCD objects as `kubectl get -o yaml` prints them, written from the upstream
 * API types: kustomize-controller api/v1, helm-controller api/v2 (Snapshot
 * history) and source-controller api/v1 (GitRepositoryRef, Artifact).
 */

export const MAIN_SHA_OLD =
  'main@sha1:1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
export const MAIN_SHA_NEW =
  'main@sha1:7e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b';

function ready(
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
  at: string,
) {
  return {
    type: 'Ready',
    status,
    reason,
    message,
    lastTransitionTime: at,
    observedGeneration: 3,
  };
}

/** A GitRepository tracking `main`, ready, as source-controller reports it. */
export function gitRepository(): any {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: {
      name: 'flux-system',
      namespace: 'flux-system',
      uid: 'b9f4c6c2-1e0d-4f7a-9c1b-3d2e5f6a7b8c',
      generation: 3,
    },
    spec: {
      interval: '1m0s',
      url: 'ssh://git@github.com/acme/fleet-infra',
      ref: { branch: 'main' },
      secretRef: { name: 'flux-system' },
      timeout: '60s',
    },
    status: {
      artifact: {
        digest:
          'sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
        lastUpdateTime: '2024-05-01T10:00:02Z',
        path: 'gitrepository/flux-system/flux-system/7e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b.tar.gz',
        revision: MAIN_SHA_NEW,
        size: 48213,
        url: 'http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/flux-system/7e6d5c4b.tar.gz',
      },
      conditions: [
        ready(
          'True',
          'Succeeded',
          `stored artifact for revision '${MAIN_SHA_NEW}'`,
          '2024-05-01T10:00:02Z',
        ),
        {
          type: 'ArtifactInStorage',
          status: 'True',
          reason: 'Succeeded',
          message: `stored artifact for revision '${MAIN_SHA_NEW}'`,
          lastTransitionTime: '2024-05-01T10:00:02Z',
          observedGeneration: 3,
        },
      ],
      observedGeneration: 3,
    },
  };
}

export const OCI_REVISION =
  '6.5.4@sha256:2f1e0d9c8b7a69584736251403f2e1d0c9b8a79685746352413f2e1d0c9b8a79';

/** An OCIRepository pulling the podinfo manifests at a semver range, ready. */
export function ociRepository(): any {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'OCIRepository',
    metadata: {
      name: 'podinfo',
      namespace: 'flux-system',
      uid: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
      generation: 1,
    },
    spec: {
      interval: '5m0s',
      url: 'oci://ghcr.io/stefanprodan/manifests/podinfo',
      ref: { semver: '6.5.x' },
      provider: 'generic',
      timeout: '60s',
    },
    status: {
      artifact: {
        digest:
          'sha256:9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9',
        lastUpdateTime: '2024-05-01T10:01:00Z',
        path: 'ocirepository/flux-system/podinfo/sha256:2f1e0d9c.tar.gz',
        revision: OCI_REVISION,
        size: 1288,
        url: 'http://source-controller.flux-system.svc.cluster.local./ocirepository/flux-system/podinfo/sha256:2f1e0d9c.tar.gz',
      },
      conditions: [
        ready(
          'True',
          'Succeeded',
          `stored artifact for digest '${OCI_REVISION}'`,
          '2024-05-01T10:01:00Z',
        ),
      ],
      observedGeneration: 1,
      url: 'http://source-controller.flux-system.svc.cluster.local./ocirepository/flux-system/podinfo/latest.tar.gz',
    },
  };
}

/** A HelmRepository whose index fetch fails: the portal's "Blocked by" case. */
export function helmRepository(): any {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmRepository',
    metadata: {
      name: 'podinfo',
      namespace: 'flux-system',
      uid: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
      generation: 2,
    },
    spec: {
      interval: '1h0m0s',
      url: 'https://stefanprodan.github.io/podinfo',
      timeout: '60s',
    },
    status: {
      conditions: [
        ready(
          'False',
          'IndexationFailed',
          'failed to fetch Helm repository index: 401 Unauthorized',
          '2024-05-01T10:02:00Z',
        ),
      ],
      observedGeneration: 2,
    },
  };
}

/** A Kustomization applying `./clusters/production` from the flux-system GitRepository. */
export function kustomization(): any {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: {
      name: 'apps',
      namespace: 'flux-system',
      uid: 'e1d2c3b4-a596-4877-8c6d-5e4f3a2b1c0d',
      annotations: { 'shoehorn.dev/entity': 'fleet-apps' },
    },
    spec: {
      interval: '10m0s',
      path: './clusters/production/apps',
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      timeout: '5m0s',
      wait: true,
    },
    status: {
      conditions: [
        ready(
          'True',
          'ReconciliationSucceeded',
          `Applied revision: ${MAIN_SHA_NEW}`,
          '2024-05-01T10:00:09Z',
        ),
        {
          type: 'Healthy',
          status: 'True',
          reason: 'Succeeded',
          message: 'Health check passed in 2.1s',
          lastTransitionTime: '2024-05-01T10:00:09Z',
          observedGeneration: 3,
        },
      ],
      history: [
        {
          digest:
            'sha256:aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44',
          firstReconciled: '2024-05-01T10:00:07Z',
          lastReconciled: '2024-05-01T10:20:07Z',
          lastReconciledDuration: '2.3s',
          lastReconciledStatus: 'ReconciliationSucceeded',
          totalReconciliations: 3,
          metadata: { revision: MAIN_SHA_NEW },
        },
        {
          digest:
            'sha256:99aa88bb77cc66dd55ee44ff99aa88bb77cc66dd55ee44ff99aa88bb77cc66dd',
          firstReconciled: '2024-04-30T08:00:00Z',
          lastReconciled: '2024-05-01T09:50:00Z',
          lastReconciledDuration: '2.0s',
          lastReconciledStatus: 'ReconciliationSucceeded',
          totalReconciliations: 12,
          metadata: { revision: MAIN_SHA_OLD },
        },
      ],
      inventory: { entries: [{ id: 'apps_podinfo_apps_Deployment', v: 'v1' }] },
      lastAppliedRevision: MAIN_SHA_NEW,
      lastAttemptedRevision: MAIN_SHA_NEW,
      lastHandledReconcileAt: '2024-05-01T10:00:00Z',
      observedGeneration: 3,
    },
  };
}

/** A HelmRelease whose upgrade to 6.5.5 failed; 6.5.4 is still deployed. */
export function helmRelease(): any {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: {
      name: 'podinfo',
      namespace: 'podinfo',
      uid: '7c6b5a49-3827-4615-a0f9-e8d7c6b5a493',
    },
    spec: {
      interval: '10m',
      chart: {
        spec: {
          chart: 'podinfo',
          version: '6.5.x',
          sourceRef: {
            kind: 'HelmRepository',
            name: 'podinfo',
            namespace: 'flux-system',
          },
          interval: '1h',
        },
      },
      values: { replicaCount: 2 },
    },
    status: {
      conditions: [
        ready(
          'False',
          'UpgradeFailed',
          'Helm upgrade failed for release podinfo/podinfo with chart podinfo@6.5.5: context deadline exceeded',
          '2024-05-02T08:05:00Z',
        ),
        {
          type: 'Released',
          status: 'False',
          reason: 'UpgradeFailed',
          message: 'Helm upgrade failed',
          lastTransitionTime: '2024-05-02T08:05:00Z',
          observedGeneration: 5,
        },
      ],
      helmChart: 'flux-system/podinfo-podinfo',
      history: [
        {
          apiVersion: 'v2',
          chartName: 'podinfo',
          chartVersion: '6.5.5',
          appVersion: '6.5.5',
          configDigest:
            'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          digest:
            'sha256:5f4e3d2c1b0a99887766554433221100ffeeddccbbaa99887766554433221100',
          firstDeployed: '2024-03-01T09:00:00Z',
          lastDeployed: '2024-05-02T08:00:00Z',
          name: 'podinfo',
          namespace: 'podinfo',
          status: 'failed',
          version: 3,
        },
        {
          apiVersion: 'v2',
          chartName: 'podinfo',
          chartVersion: '6.5.4',
          appVersion: '6.5.4',
          configDigest:
            'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          digest:
            'sha256:0011223344556677889900aabbccddeeff0011223344556677889900aabbccdd',
          firstDeployed: '2024-03-01T09:00:00Z',
          lastDeployed: '2024-04-15T14:30:00Z',
          name: 'podinfo',
          namespace: 'podinfo',
          status: 'deployed',
          version: 2,
          testHooks: {},
        },
        {
          apiVersion: 'v2',
          chartName: 'podinfo',
          chartVersion: '6.5.3',
          appVersion: '6.5.3',
          configDigest:
            'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          digest:
            'sha256:ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100',
          firstDeployed: '2024-03-01T09:00:00Z',
          lastDeployed: '2024-03-01T09:00:00Z',
          name: 'podinfo',
          namespace: 'podinfo',
          status: 'superseded',
          version: 1,
        },
      ],
      lastAttemptedGeneration: 5,
      lastAttemptedReleaseAction: 'upgrade',
      lastAttemptedRevision: '6.5.5',
      lastAttemptedValuesChecksum: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      failures: 1,
      upgradeFailures: 1,
      observedGeneration: 5,
      storageNamespace: 'podinfo',
    },
  };
}

/** A HelmRelease installing a chart from an OCIRepository through `chartRef`. */
export function chartRefHelmRelease(): any {
  const version = '6.6.0+0a1b2c3d4e5f';
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: {
      name: 'podinfo-oci',
      namespace: 'apps',
      uid: '2f3e4d5c-6b7a-4988-8776-655443322110',
    },
    spec: {
      interval: '10m',
      chartRef: {
        kind: 'OCIRepository',
        name: 'podinfo',
        namespace: 'flux-system',
      },
      releaseName: 'podinfo',
    },
    status: {
      conditions: [
        ready(
          'True',
          'InstallSucceeded',
          `Helm install succeeded for release apps/podinfo.v1 with chart podinfo@${version}`,
          '2024-05-03T07:00:31Z',
        ),
      ],
      history: [
        {
          apiVersion: 'v2',
          chartName: 'podinfo',
          chartVersion: version,
          appVersion: '6.6.0',
          configDigest:
            'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          digest:
            'sha256:1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef',
          firstDeployed: '2024-05-03T07:00:00Z',
          lastDeployed: '2024-05-03T07:00:30Z',
          name: 'podinfo',
          namespace: 'apps',
          status: 'deployed',
          version: 1,
          ociDigest:
            'sha256:0a1b2c3d4e5f00112233445566778899aabbccddeeff00112233445566778899',
        },
      ],
      lastAttemptedRevision: version,
      lastAttemptedRevisionDigest:
        'sha256:0a1b2c3d4e5f00112233445566778899aabbccddeeff00112233445566778899',
      lastAttemptedReleaseAction: 'install',
      observedGeneration: 1,
      storageNamespace: 'apps',
    },
  };
}
