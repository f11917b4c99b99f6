import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  RbacAuthorizationV1Api,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { ControlPlane, startControlPlane } from './controlPlane';

jest.setTimeout(180_000);

describe('startControlPlane', () => {
  let cp: ControlPlane;

  beforeAll(async () => {
    cp = await startControlPlane({ crds: true });
  });

  afterAll(async () => {
    await cp?.stop();
  });

  it('serves the project CRDs, keeping the status fields the agent reads', async () => {
    const custom = cp.kubeConfig.makeApiClient(CustomObjectsApi);
    await cp.kubeConfig
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: 'argocd' } } });
    await custom.createNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'argocd',
      plural: 'applications',
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'web' },
        spec: { source: { repoURL: 'https://git.example/web.git', extra: 1 } },
        status: {
          sync: { status: 'Synced', revision: 'abc' },
          unknownField: 'kept',
        },
      },
    });
    const app: any = await custom.getNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'argocd',
      plural: 'applications',
      name: 'web',
    });
    expect(app.status).toEqual({
      sync: { status: 'Synced', revision: 'abc' },
      unknownField: 'kept',
    });
    expect(app.spec.source.extra).toBe(1);

    await custom.createNamespacedCustomObject({
      group: 'kustomize.toolkit.fluxcd.io',
      version: 'v1',
      namespace: 'argocd',
      plural: 'kustomizations',
      body: {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'apps' },
        spec: {
          path: './apps',
          sourceRef: { kind: 'GitRepository', name: 'repo' },
        },
      },
    });
    await custom.patchNamespacedCustomObjectStatus(
      {
        group: 'kustomize.toolkit.fluxcd.io',
        version: 'v1',
        namespace: 'argocd',
        plural: 'kustomizations',
        name: 'apps',
        body: { status: { lastAppliedRevision: 'main@sha1:1' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const ks: any = await custom.getNamespacedCustomObject({
      group: 'kustomize.toolkit.fluxcd.io',
      version: 'v1',
      namespace: 'argocd',
      plural: 'kustomizations',
      name: 'apps',
    });
    expect(ks.status.lastAppliedRevision).toBe('main@sha1:1');
  });

  it('enforces RBAC for users and service accounts', async () => {
    const user = cp.createUserKubeConfig(
      'system:serviceaccount:gitops:reader',
      ['system:serviceaccounts'],
    );
    const custom = user.makeApiClient(CustomObjectsApi);
    const list = () =>
      custom.listClusterCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        plural: 'applications',
      });
    await expect(list()).rejects.toMatchObject({ code: 403 });

    const rbac = cp.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createClusterRole({
      body: {
        metadata: { name: 'app-reader' },
        rules: [
          {
            apiGroups: ['argoproj.io'],
            resources: ['applications'],
            verbs: ['list'],
          },
        ],
      },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: 'app-reader' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'app-reader',
        },
        subjects: [
          { kind: 'ServiceAccount', name: 'reader', namespace: 'gitops' },
        ],
      },
    });
    // RBAC bindings take effect through the authorizer's informer: poll.
    await eventually(async () => expect((await list()).items).toBeDefined());

    const saConfig = await cp.kubeConfigFor('gitops', 'reader');
    const saList = await saConfig
      .makeApiClient(CustomObjectsApi)
      .listClusterCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        plural: 'applications',
      });
    expect(saList.items.map((a: any) => a.metadata.name)).toEqual(['web']);
  });

  it('keeps its data across an apiserver restart', async () => {
    await cp.restart();
    const custom = cp.kubeConfig.makeApiClient(CustomObjectsApi);
    const list = await custom.listClusterCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      plural: 'applications',
    });
    expect(list.items).toHaveLength(1);
  });
});

async function eventually(check: () => Promise<void>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise(r => setTimeout(r, 200));
    }
  }
}
