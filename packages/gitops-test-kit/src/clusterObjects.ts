import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';

const APPS = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'applications',
};
const APP_PROJECTS = { ...APPS, plural: 'appprojects' };
const KUSTOMIZATIONS = {
  group: 'kustomize.toolkit.fluxcd.io',
  version: 'v1',
  plural: 'kustomizations',
};
const GIT_REPOSITORIES = {
  group: 'source.toolkit.fluxcd.io',
  version: 'v1',
  plural: 'gitrepositories',
};
/** The Flux source kinds by kind, for tests that write any of them. */
export const FLUX_SOURCES = {
  GitRepository: GIT_REPOSITORIES,
  OCIRepository: { ...GIT_REPOSITORIES, plural: 'ocirepositories' },
  HelmRepository: { ...GIT_REPOSITORIES, plural: 'helmrepositories' },
};
const merge = () => setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Writes ArgoCD and Flux objects the way their controllers would, for tests. */
export class ClusterObjects {
  readonly custom: CustomObjectsApi;
  readonly core: CoreV1Api;

  constructor(kubeConfig: KubeConfig) {
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.core = kubeConfig.makeApiClient(CoreV1Api);
  }

  async namespace(name: string): Promise<void> {
    await this.core
      .createNamespace({ body: { metadata: { name } } })
      .catch(e => {
        if (e?.code !== 409) throw e;
      });
  }

  /** Creates an Application with a sync status (ArgoCD writes status with the object). */
  async createApplication(
    namespace: string,
    name: string,
    sync = 'Synced',
    extra: object = {},
  ): Promise<void> {
    await this.custom.createNamespacedCustomObject({
      ...APPS,
      namespace,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name, namespace },
        spec: {
          project: 'default',
          source: {
            repoURL: `https://git.example.com/${name}.git`,
            path: 'deploy',
            targetRevision: 'main',
          },
          destination: {
            server: 'https://kubernetes.default.svc',
            namespace: name,
          },
          ...extra,
        },
        status: {
          sync: { status: sync, revision: 'a1b2c3' },
          health: { status: sync === 'Synced' ? 'Healthy' : 'Progressing' },
        },
      },
    });
  }

  async setApplicationSync(
    namespace: string,
    name: string,
    sync: string,
    revision = 'a1b2c3',
  ): Promise<void> {
    await this.custom.patchNamespacedCustomObject(
      {
        ...APPS,
        namespace,
        name,
        body: { status: { sync: { status: sync, revision } } },
      },
      merge(),
    );
  }

  async deleteApplication(namespace: string, name: string): Promise<void> {
    await this.custom.deleteNamespacedCustomObject({
      ...APPS,
      namespace,
      name,
    });
  }

  /** Creates an AppProject, or replaces the sync windows of an existing one. */
  async applyAppProject(
    namespace: string,
    name: string,
    syncWindows: object[],
  ): Promise<void> {
    const spec = {
      sourceRepos: ['*'],
      destinations: [{ server: '*', namespace: '*' }],
      syncWindows,
    };
    await this.custom
      .createNamespacedCustomObject({
        ...APP_PROJECTS,
        namespace,
        body: {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AppProject',
          metadata: { name, namespace },
          spec,
        },
      })
      .catch(async e => {
        if (e?.code !== 409) throw e;
        await this.custom.patchNamespacedCustomObject(
          { ...APP_PROJECTS, namespace, name, body: { spec } },
          merge(),
        );
      });
  }

  async deleteAppProject(namespace: string, name: string): Promise<void> {
    await this.custom.deleteNamespacedCustomObject({
      ...APP_PROJECTS,
      namespace,
      name,
    });
  }

  async listApplications(namespace?: string): Promise<any[]> {
    const list: any = namespace
      ? await this.custom.listNamespacedCustomObject({ ...APPS, namespace })
      : await this.custom.listClusterCustomObject(APPS);
    return list.items;
  }

  async createGitRepository(
    namespace: string,
    name: string,
    url: string,
  ): Promise<void> {
    await this.custom.createNamespacedCustomObject({
      ...GIT_REPOSITORIES,
      namespace,
      body: {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name, namespace },
        spec: { url, interval: '1m', ref: { branch: 'main' } },
      },
    });
  }

  async setGitRepositoryUrl(
    namespace: string,
    name: string,
    url: string,
  ): Promise<void> {
    await this.custom.patchNamespacedCustomObject(
      { ...GIT_REPOSITORIES, namespace, name, body: { spec: { url } } },
      merge(),
    );
  }

  /** Creates a Flux source of any watched kind, then writes its status as source-controller would. */
  async createFluxSource(
    kind: keyof typeof FLUX_SOURCES,
    namespace: string,
    name: string,
    spec: Record<string, unknown>,
    status?: Record<string, unknown>,
  ): Promise<void> {
    const api = FLUX_SOURCES[kind];
    await this.custom.createNamespacedCustomObject({
      ...api,
      namespace,
      body: {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind,
        metadata: { name, namespace },
        spec: { interval: '1m', ...spec },
      },
    });
    if (status) {
      await this.custom.patchNamespacedCustomObjectStatus(
        { ...api, namespace, name, body: { status } },
        merge(),
      );
    }
  }

  async createKustomization(
    namespace: string,
    name: string,
    source: string,
    spec: Record<string, unknown> = {},
  ): Promise<void> {
    await this.custom.createNamespacedCustomObject({
      ...KUSTOMIZATIONS,
      namespace,
      body: {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name, namespace },
        spec: {
          path: `./apps/${name}`,
          interval: '5m',
          sourceRef: { kind: 'GitRepository', name: source },
          ...spec,
        },
      },
    });
  }

  /** Writes Kustomization status through the status subresource, as kustomize-controller does. */
  async setKustomizationStatus(
    namespace: string,
    name: string,
    status: Record<string, unknown>,
  ): Promise<void> {
    await this.custom.patchNamespacedCustomObjectStatus(
      { ...KUSTOMIZATIONS, namespace, name, body: { status } },
      merge(),
    );
  }

  async getKustomization(namespace: string, name: string): Promise<any> {
    return this.custom.getNamespacedCustomObject({
      ...KUSTOMIZATIONS,
      namespace,
      name,
    });
  }

  async getGitRepository(namespace: string, name: string): Promise<any> {
    return this.custom.getNamespacedCustomObject({
      ...GIT_REPOSITORIES,
      namespace,
      name,
    });
  }

  async setGitRepositoryStatus(
    namespace: string,
    name: string,
    status: Record<string, unknown>,
  ): Promise<void> {
    await this.custom.patchNamespacedCustomObjectStatus(
      { ...GIT_REPOSITORIES, namespace, name, body: { status } },
      merge(),
    );
  }
}

/** Polls `check` until it stops throwing (generous default: the machine is shared and slow). */
export async function eventually<T>(
  check: () => Promise<T> | T,
  timeoutMs = 60_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise(r => setTimeout(r, intervalMs));
    }
  }
}
