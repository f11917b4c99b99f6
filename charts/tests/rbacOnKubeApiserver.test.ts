/*
 * The chart installed with real helm into a real kube-apiserver (RBAC authorization on), then
 * exercised with the agent's own ServiceAccount token: it can read and watch what it needs,
 * patch only where FluxCD commands need it, and is forbidden everything else.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  ApiextensionsV1Api,
  AuthorizationV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  Watch,
  setHeaderOptions,
} from '@kubernetes/client-node';
// The agent's control-plane harness is shared on purpose; it has no public entry point yet.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { ControlPlane, startControlPlane } from '@shoehorn/gitops-test-kit';
import { CHART_DIR, ChartValues, helm, scratchDir, valueArgs } from '../src';

jest.setTimeout(300_000);

const KINDS = {
  application: {
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'applications',
    kind: 'Application',
  },
  appproject: {
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'appprojects',
    kind: 'AppProject',
  },
  kustomization: {
    group: 'kustomize.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'kustomizations',
    kind: 'Kustomization',
  },
  helmrelease: {
    group: 'helm.toolkit.fluxcd.io',
    version: 'v2',
    plural: 'helmreleases',
    kind: 'HelmRelease',
  },
  gitrepository: {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'gitrepositories',
    kind: 'GitRepository',
  },
  ocirepository: {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'ocirepositories',
    kind: 'OCIRepository',
  },
  helmrepository: {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'helmrepositories',
    kind: 'HelmRepository',
  },
};
type Kind = (typeof KINDS)[keyof typeof KINDS];

const AGENT_TOKEN = 'portal-token-Hx4nQ2';

let cp: ControlPlane;
let kubeconfigFile: string;
let scratch: string;

/** Installs the chart as release `agent` in `namespace`; returns helm's output (NOTES included). */
async function install(
  namespace: string,
  values: ChartValues,
  setString?: Record<string, string>,
) {
  const result = await helm([
    'install',
    'agent',
    CHART_DIR,
    '--namespace',
    namespace,
    '--create-namespace',
    '--kubeconfig',
    kubeconfigFile,
    ...valueArgs({ values, setString }, scratch),
  ]);
  if (result.code !== 0)
    throw new Error(`helm install into ${namespace} failed:\n${result.stderr}`);
  return result.stdout;
}

function valuesFor(agent: ChartValues): ChartValues {
  return {
    agent: {
      backendURL: 'https://backstage.example.com',
      credential: { existingSecret: 'agent-credential' },
      ...agent,
    },
  };
}

async function ensureNamespace(name: string) {
  await cp.kubeConfig
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name } } })
    .catch(e => {
      if (e.code !== 409) throw e;
    });
}

async function createResource(kind: Kind, namespace: string, name: string) {
  await ensureNamespace(namespace);
  await cp.kubeConfig
    .makeApiClient(CustomObjectsApi)
    .createNamespacedCustomObject({
      group: kind.group,
      version: kind.version,
      namespace,
      plural: kind.plural,
      body: {
        apiVersion: `${kind.group}/${kind.version}`,
        kind: kind.kind,
        metadata: { name },
        spec: {},
      },
    });
}

/** The HTTP status of a request made as the agent: 200 when it succeeds. */
async function status(request: () => Promise<unknown>): Promise<number> {
  try {
    await request();
    return 200;
  } catch (e: any) {
    if (typeof e?.code === 'number') return e.code;
    throw e;
  }
}

/** The agent's identity: its ServiceAccount's real token, as the pod would mount it. */
async function agentKubeConfig(namespace: string): Promise<KubeConfig> {
  return cp.kubeConfigFor(namespace, 'agent-gitops-agent');
}

function asAgent(kc: KubeConfig) {
  const custom = kc.makeApiClient(CustomObjectsApi);
  return {
    list: (kind: Kind, namespace?: string) =>
      status(() =>
        namespace
          ? custom.listNamespacedCustomObject({ ...kind, namespace })
          : custom.listClusterCustomObject({ ...kind }),
      ),
    patchAnnotation: (kind: Kind, namespace: string, name: string) =>
      status(() =>
        custom.patchNamespacedCustomObject(
          {
            ...kind,
            namespace,
            name,
            body: {
              metadata: {
                annotations: {
                  'reconcile.fluxcd.io/requestedAt': new Date().toISOString(),
                },
              },
            },
          },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        ),
      ),
    deleteResource: (kind: Kind, namespace: string, name: string) =>
      status(() =>
        custom.deleteNamespacedCustomObject({ ...kind, namespace, name }),
      ),
    readCrd: (name: string) =>
      status(() =>
        kc
          .makeApiClient(ApiextensionsV1Api)
          .readCustomResourceDefinition({ name }),
      ),
    listCrds: (fieldSelector?: string) =>
      status(() =>
        kc
          .makeApiClient(ApiextensionsV1Api)
          .listCustomResourceDefinition({ fieldSelector }),
      ),
    readSecret: (namespace: string, name: string) =>
      status(() =>
        kc.makeApiClient(CoreV1Api).readNamespacedSecret({ namespace, name }),
      ),
    listSecrets: (namespace: string) =>
      status(() =>
        kc.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace }),
      ),
    listPods: (namespace: string) =>
      status(() =>
        kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace }),
      ),
    listConfigMaps: (namespace: string) =>
      status(() =>
        kc.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace }),
      ),
    can: async (attributes: {
      verb: string;
      group?: string;
      resource: string;
      subresource?: string;
      namespace?: string;
      name?: string;
    }) => {
      const review = await kc
        .makeApiClient(AuthorizationV1Api)
        .createSelfSubjectAccessReview({
          body: { spec: { resourceAttributes: attributes } },
        });
      return review.status!.allowed;
    },
  };
}

/** Opens a watch as the agent and resolves with the first event's type and object name. */
async function firstWatchEvent(
  kc: KubeConfig,
  urlPath: string,
): Promise<{ type: string; name: string }> {
  return new Promise((resolve, reject) => {
    let request: { abort(): void } | undefined;
    new Watch(kc)
      .watch(
        urlPath,
        {},
        (type, obj) => {
          request?.abort();
          resolve({ type, name: obj?.metadata?.name });
        },
        err => {
          if (err && err.name !== 'AbortError') reject(err);
        },
      )
      .then(r => {
        request = r;
      }, reject);
  });
}

beforeAll(async () => {
  cp = await startControlPlane({ crds: true });
  scratch = scratchDir();
  kubeconfigFile = path.join(scratch, 'admin.kubeconfig');
  fs.writeFileSync(kubeconfigFile, cp.kubeConfig.exportConfig(), {
    mode: 0o600,
  });

  await createResource(KINDS.application, 'argocd', 'web');
  await createResource(KINDS.application, 'team-a', 'api');
  for (const ns of ['flux-system', 'team-b']) {
    await createResource(KINDS.kustomization, ns, 'apps');
    await createResource(KINDS.helmrelease, ns, 'podinfo');
    await createResource(KINDS.gitrepository, ns, 'repo');
    await createResource(KINDS.ocirepository, ns, 'manifests');
    await createResource(KINDS.helmrepository, ns, 'charts');
  }
  await cp.kubeConfig.makeApiClient(CoreV1Api).createNamespacedSecret({
    namespace: 'argocd',
    body: {
      metadata: { name: 'argocd-secret' },
      stringData: { 'admin.password': 'not-for-the-agent' },
    },
  });
});

afterAll(async () => {
  await cp?.stop();
});

describe('ArgoCD, Applications in the argocd namespace, token passed at install', () => {
  const ns = 'gitops-argocd';
  let agent: ReturnType<typeof asAgent>;
  let kc: KubeConfig;
  let notes: string;

  beforeAll(async () => {
    notes = await install(
      ns,
      {
        agent: {
          backendURL: 'https://backstage.example.com',
          gitops: { tool: 'argocd', argocd: { namespace: 'argocd' } },
        },
      },
      { 'agent.credential.token': AGENT_TOKEN },
    );
    kc = await agentKubeConfig(ns);
    agent = asAgent(kc);
  });

  it('NOTES say what was installed and never show the token', () => {
    expect(notes).toContain('Watching:        ArgoCD Applications in argocd');
    expect(notes).toContain(
      'Commands:        none (read-only: no ArgoCD token configured)',
    );
    expect(notes).toContain(
      `RBAC:            Role ${ns}-agent-gitops-agent-gitops in argocd`,
    );
    expect(notes).not.toContain(AGENT_TOKEN);
    expect(notes).not.toContain(Buffer.from(AGENT_TOKEN).toString('base64'));
  });

  it('the token landed in the Secret the pod mounts, which the agent itself cannot read back', async () => {
    const secret = await cp.kubeConfig
      .makeApiClient(CoreV1Api)
      .readNamespacedSecret({
        namespace: ns,
        name: 'agent-gitops-agent-credentials',
      });
    expect(Buffer.from(secret.data!['agent-token'], 'base64').toString()).toBe(
      AGENT_TOKEN,
    );
    expect(await agent.readSecret(ns, 'agent-gitops-agent-credentials')).toBe(
      403,
    );
  });

  it('lists and watches Applications in argocd', async () => {
    expect(await agent.list(KINDS.application, 'argocd')).toBe(200);
    expect(
      await firstWatchEvent(
        kc,
        '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications',
      ),
    ).toEqual({
      type: 'ADDED',
      name: 'web',
    });
  });

  it('reads the AppProjects in argocd, for their sync windows, and cannot change them', async () => {
    expect(await agent.list(KINDS.appproject, 'argocd')).toBe(200);
    expect(await agent.list(KINDS.appproject)).toBe(403);
    expect(
      await agent.patchAnnotation(KINDS.appproject, 'argocd', 'default'),
    ).toBe(403);
  });

  it('is forbidden Applications elsewhere and any change to them', async () => {
    expect(await agent.list(KINDS.application, 'team-a')).toBe(403);
    expect(await agent.list(KINDS.application)).toBe(403);
    expect(
      await agent.patchAnnotation(KINDS.application, 'argocd', 'web'),
    ).toBe(403);
    expect(await agent.deleteResource(KINDS.application, 'argocd', 'web')).toBe(
      403,
    );
  });

  it('reads its own CRD only, by name', async () => {
    expect(await agent.readCrd('applications.argoproj.io')).toBe(200);
    expect(await agent.listCrds('metadata.name=applications.argoproj.io')).toBe(
      200,
    );
    expect(
      await agent.readCrd('kustomizations.kustomize.toolkit.fluxcd.io'),
    ).toBe(403);
    expect(await agent.listCrds()).toBe(403);
  });

  it('is forbidden Secrets, ConfigMaps, Pods and FluxCD kinds', async () => {
    expect(await agent.readSecret('argocd', 'argocd-secret')).toBe(403);
    expect(await agent.listSecrets('argocd')).toBe(403);
    expect(await agent.listConfigMaps('argocd')).toBe(403);
    expect(await agent.listPods('argocd')).toBe(403);
    expect(await agent.list(KINDS.kustomization, 'flux-system')).toBe(403);
  });

  it('holds its Lease in the release namespace and nothing more', async () => {
    const leases = kc.makeApiClient(CoordinationV1Api);
    const lease = {
      metadata: { name: 'agent-gitops-agent' },
      spec: { holderIdentity: 'pod-1', leaseDurationSeconds: 15 },
    };
    expect(
      await status(() =>
        leases.createNamespacedLease({ namespace: ns, body: lease }),
      ),
    ).toBe(200);
    const current = await leases.readNamespacedLease({
      namespace: ns,
      name: 'agent-gitops-agent',
    });
    current.spec!.holderIdentity = 'pod-2';
    expect(
      await status(() =>
        leases.replaceNamespacedLease({
          namespace: ns,
          name: 'agent-gitops-agent',
          body: current,
        }),
      ),
    ).toBe(200);
    expect(
      await agent.can({
        verb: 'get',
        group: 'coordination.k8s.io',
        resource: 'leases',
        namespace: ns,
        name: 'other',
      }),
    ).toBe(false);
    expect(
      await agent.can({
        verb: 'list',
        group: 'coordination.k8s.io',
        resource: 'leases',
        namespace: ns,
      }),
    ).toBe(false);
    expect(
      await agent.can({
        verb: 'patch',
        group: 'coordination.k8s.io',
        resource: 'leases',
        namespace: ns,
        name: 'agent-gitops-agent',
      }),
    ).toBe(false);
    expect(
      await agent.can({
        verb: 'delete',
        group: 'coordination.k8s.io',
        resource: 'leases',
        namespace: ns,
        name: 'agent-gitops-agent',
      }),
    ).toBe(false);
    expect(
      await agent.can({
        verb: 'create',
        group: 'coordination.k8s.io',
        resource: 'leases',
        namespace: 'argocd',
      }),
    ).toBe(false);
  });
});

describe('ArgoCD apps in any namespace, read-only', () => {
  const ns = 'gitops-argocd-any';
  let agent: ReturnType<typeof asAgent>;

  beforeAll(async () => {
    await install(
      ns,
      valuesFor({
        gitops: { tool: 'argocd', argocd: { applicationNamespaces: ['*'] } },
        leaderElection: { enabled: false },
      }),
    );
    agent = asAgent(await agentKubeConfig(ns));
  });

  it('lists Applications in every namespace, and still cannot change them', async () => {
    expect(await agent.list(KINDS.application)).toBe(200);
    expect(await agent.list(KINDS.application, 'team-a')).toBe(200);
    expect(
      await agent.can({
        verb: 'watch',
        group: 'argoproj.io',
        resource: 'applications',
      }),
    ).toBe(true);
    expect(
      await agent.patchAnnotation(KINDS.application, 'team-a', 'api'),
    ).toBe(403);
  });

  it('has no Lease rights with leader election off, and no Secrets', async () => {
    expect(
      await agent.can({
        verb: 'create',
        group: 'coordination.k8s.io',
        resource: 'leases',
        namespace: ns,
      }),
    ).toBe(false);
    expect(await agent.listSecrets('team-a')).toBe(403);
  });
});

describe('FluxCD in every namespace, commands enabled', () => {
  const ns = 'gitops-flux';
  let agent: ReturnType<typeof asAgent>;
  let kc: KubeConfig;

  beforeAll(async () => {
    await install(ns, valuesFor({ gitops: { tool: 'fluxcd' } }));
    kc = await agentKubeConfig(ns);
    agent = asAgent(kc);
  });

  it('lists and watches the five kinds everywhere', async () => {
    for (const kind of [
      KINDS.kustomization,
      KINDS.helmrelease,
      KINDS.gitrepository,
      KINDS.ocirepository,
      KINDS.helmrepository,
    ]) {
      expect(await agent.list(kind)).toBe(200);
      expect(await agent.list(kind, 'team-b')).toBe(200);
    }
    expect(
      await firstWatchEvent(
        kc,
        '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/team-b/kustomizations',
      ),
    ).toEqual({ type: 'ADDED', name: 'apps' });
    expect(
      await firstWatchEvent(
        kc,
        '/apis/source.toolkit.fluxcd.io/v1/namespaces/team-b/ocirepositories',
      ),
    ).toEqual({ type: 'ADDED', name: 'manifests' });
    expect(
      await firstWatchEvent(
        kc,
        '/apis/source.toolkit.fluxcd.io/v1/namespaces/team-b/helmrepositories',
      ),
    ).toEqual({ type: 'ADDED', name: 'charts' });
    expect(
      await agent.readCrd('ocirepositories.source.toolkit.fluxcd.io'),
    ).toBe(200);
  });

  it('patches the reconcile annotation, as Sync and Refresh do', async () => {
    expect(
      await agent.patchAnnotation(KINDS.kustomization, 'team-b', 'apps'),
    ).toBe(200);
    expect(
      await agent.patchAnnotation(KINDS.helmrelease, 'team-b', 'podinfo'),
    ).toBe(200);
    expect(
      await agent.patchAnnotation(KINDS.gitrepository, 'team-b', 'repo'),
    ).toBe(200);
    const patched: any = await cp.kubeConfig
      .makeApiClient(CustomObjectsApi)
      .getNamespacedCustomObject({
        ...KINDS.kustomization,
        namespace: 'team-b',
        name: 'apps',
      });
    expect(
      patched.metadata.annotations['reconcile.fluxcd.io/requestedAt'],
    ).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('cannot delete, update or write status, nor touch ArgoCD, Secrets or other CRDs', async () => {
    expect(
      await agent.deleteResource(KINDS.kustomization, 'team-b', 'apps'),
    ).toBe(403);
    expect(
      await agent.can({
        verb: 'update',
        group: 'kustomize.toolkit.fluxcd.io',
        resource: 'kustomizations',
        namespace: 'team-b',
      }),
    ).toBe(false);
    expect(
      await agent.can({
        verb: 'patch',
        group: 'kustomize.toolkit.fluxcd.io',
        resource: 'kustomizations',
        subresource: 'status',
        namespace: 'team-b',
      }),
    ).toBe(false);
    expect(
      await agent.can({
        verb: 'create',
        group: 'kustomize.toolkit.fluxcd.io',
        resource: 'kustomizations',
        namespace: 'team-b',
      }),
    ).toBe(false);
    expect(await agent.list(KINDS.application, 'argocd')).toBe(403);
    expect(await agent.listSecrets('flux-system')).toBe(403);
    expect(
      await agent.readCrd('kustomizations.kustomize.toolkit.fluxcd.io'),
    ).toBe(200);
    expect(await agent.readCrd('applications.argoproj.io')).toBe(403);
  });
});

describe('FluxCD in two namespaces, commands disabled', () => {
  const ns = 'gitops-flux-readonly';
  let agent: ReturnType<typeof asAgent>;

  beforeAll(async () => {
    await install(
      ns,
      valuesFor({
        gitops: { tool: 'fluxcd', fluxcd: { namespaces: ['flux-system'] } },
        commands: { enabled: false },
      }),
    );
    agent = asAgent(await agentKubeConfig(ns));
  });

  it('reads in the listed namespace only', async () => {
    expect(await agent.list(KINDS.kustomization, 'flux-system')).toBe(200);
    expect(await agent.list(KINDS.gitrepository, 'flux-system')).toBe(200);
    expect(await agent.list(KINDS.kustomization, 'team-b')).toBe(403);
    expect(await agent.list(KINDS.kustomization)).toBe(403);
  });

  it('is forbidden to patch when commands are off', async () => {
    expect(
      await agent.patchAnnotation(KINDS.kustomization, 'flux-system', 'apps'),
    ).toBe(403);
    expect(
      await agent.patchAnnotation(KINDS.helmrelease, 'flux-system', 'podinfo'),
    ).toBe(403);
    expect(
      await agent.patchAnnotation(KINDS.gitrepository, 'flux-system', 'repo'),
    ).toBe(403);
  });
});

describe('no tool set', () => {
  const ns = 'gitops-none';
  let agent: ReturnType<typeof asAgent>;
  let notes: string;

  beforeAll(async () => {
    notes = await install(ns, valuesFor({}));
    agent = asAgent(await agentKubeConfig(ns));
  });

  it('grants nothing GitOps-related and says so', async () => {
    expect(notes).toContain(
      'Watching:        nothing: agent.gitops.tool is not set',
    );
    for (const kind of Object.values(KINDS)) {
      expect(await agent.list(kind)).toBe(403);
    }
    expect(await agent.readCrd('applications.argoproj.io')).toBe(403);
    expect(
      await agent.can({
        verb: 'create',
        group: 'coordination.k8s.io',
        resource: 'leases',
        namespace: ns,
      }),
    ).toBe(true);
  });
});
