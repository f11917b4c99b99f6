/*
 * The agent on a real kube-apiserver whose Flux CRDs serve older versions, pushing to the real
 * gitops backend plugin: it watches the newest version it reads that the cluster serves, pushes
 * its objects in the current fields, says which version it watches on /v1/clusters, and sends
 * Flux commands to that version.
 */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import {
  eventually,
  ClusterObjects,
  ControlPlane,
  loadCrds,
  OLDER_CRD_DIR,
  renamedVersion,
  servingVersions,
  startControlPlane,
} from '@shoehorn/gitops-test-kit';
import { Agent } from './Agent';
import { RECONCILE_ANNOTATION } from './commands/FluxCommands';
import { parseAgentConfig } from './config/AgentConfig';
import { silentLogger } from './logging/Logger';
import {
  AgentTestBackend,
  createAgentTestDatabases,
  startGitOpsBackendForAgent,
  TestAgentIdentity,
} from './__testUtils__/gitopsBackend';

jest.setTimeout(300_000);

const SHA1 = '7e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b';
const READY = {
  type: 'Ready',
  status: 'True',
  reason: 'ReconciliationSucceeded',
  message: 'Applied revision',
  lastTransitionTime: '2024-04-15T14:30:00Z',
};

const IDENTITIES: TestAgentIdentity[] = ['old', 'both', 'unknown'].map(
  name => ({ subject: `gitops-agent-${name}`, cluster: name, token: 'unused' }),
);

const current = (plural: string) => loadCrds([plural])[0];
const older = (plural: string) => loadCrds([plural], OLDER_CRD_DIR)[0];

describe('the agent on clusters serving older Flux versions', () => {
  const databases = createAgentTestDatabases();
  let cp: ControlPlane;
  let cluster: ClusterObjects;
  let backend: AgentTestBackend;
  const agents: Agent[] = [];

  const portal = (method: string, path: string, body?: unknown) =>
    backend.portal(method, path, body);

  const startAgent = async (identity: TestAgentIdentity, namespace: string) => {
    await cluster.namespace(namespace);
    const agent = new Agent(
      parseAgentConfig({
        GITOPS_BACKEND_URL: backend.url,
        GITOPS_ALLOW_HTTP: 'true',
        GITOPS_AGENT_TOKEN: backend.tokenOf(identity),
        GITOPS_TOOL: 'fluxcd',
        GITOPS_FLUX_NAMESPACES: namespace,
        GITOPS_FLUX_RECONCILE_WAIT_MS: 0,
        GITOPS_BACKOFF_MIN_MS: 100,
        GITOPS_BACKOFF_MAX_MS: 1000,
        GITOPS_CRD_RETRY_MS: 500,
      }),
      { kubeConfig: cp.kubeConfig, log: silentLogger, serveOps: false },
    );
    agents.push(agent);
    await agent.start();
    return agent;
  };

  /** The kind report of a cluster's agent as the portal shows it on /v1/clusters. */
  const kindsOnPortal = async (name: string) => {
    const res = await portal('GET', '/v1/clusters');
    expect(res.status).toBe(200);
    const found = res.body.items.find((c: any) => c.name === name);
    return found?.agents?.[0]?.kinds ?? null;
  };

  /** Creates a Flux object in any version, then writes its status as its controller would. */
  const create = async (
    apiVersion: string,
    plural: string,
    kind: string,
    namespace: string,
    name: string,
    spec: object,
    status?: object,
  ) => {
    const [group, version] = apiVersion.split('/');
    const api = { group, version, plural, namespace };
    await cluster.custom.createNamespacedCustomObject({
      ...api,
      body: { apiVersion, kind, metadata: { name, namespace }, spec },
    });
    if (status) {
      await cluster.custom.patchNamespacedCustomObjectStatus(
        { ...api, name, body: { status } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    }
  };

  beforeAll(async () => {
    cp = await startControlPlane();
    cluster = new ClusterObjects(cp.kubeConfig);
    backend = await startGitOpsBackendForAgent({
      agents: IDENTITIES,
      auth: 'mock',
      databases,
    });
  });

  afterEach(async () => {
    for (const agent of agents.splice(0)) await agent.stop();
  });

  afterAll(async () => {
    await backend?.stop();
    await cp?.stop();
  });

  it('watches Kustomization and GitRepository v1beta2 and HelmRelease v2beta2 where only those are served, and syncs through them', async () => {
    await cp.applyCrdManifests(
      ['kustomizations', 'helmreleases', 'gitrepositories'].map(older),
    );
    const [identity] = IDENTITIES;
    await cluster.namespace('flux-old');
    await create(
      'source.toolkit.fluxcd.io/v1beta2',
      'gitrepositories',
      'GitRepository',
      'flux-old',
      'fleet',
      {
        url: 'https://git.example.com/fleet.git',
        interval: '1m',
        ref: { branch: 'main' },
      },
      { artifact: { revision: `main/${SHA1}` }, conditions: [READY] },
    );
    await create(
      'kustomize.toolkit.fluxcd.io/v1beta2',
      'kustomizations',
      'Kustomization',
      'flux-old',
      'apps',
      {
        path: './apps',
        interval: '5m',
        sourceRef: { kind: 'GitRepository', name: 'fleet' },
      },
      {
        lastAppliedRevision: `main/${SHA1}`,
        lastAttemptedRevision: `main/${SHA1}`,
        conditions: [READY],
      },
    );
    await create(
      'helm.toolkit.fluxcd.io/v2beta2',
      'helmreleases',
      'HelmRelease',
      'flux-old',
      'podinfo',
      {
        interval: '5m',
        chart: {
          spec: {
            chart: 'podinfo',
            version: '6.5.4',
            sourceRef: { kind: 'HelmRepository', name: 'podinfo' },
          },
        },
      },
      {
        lastAppliedRevision: '6.5.4',
        lastAttemptedRevision: '6.5.4',
        lastReleaseRevision: 2,
        conditions: [READY],
      },
    );
    await startAgent(identity, 'flux-old');

    // The older fields arrive as the current ones: revisions in today's format, the chart
    // version of a release without history.
    await eventually(async () =>
      expect(await backend.resources(identity.cluster)).toEqual([
        'fluxcd/GitRepository/flux-old/fleet=Synced',
        'fluxcd/HelmRelease/flux-old/podinfo=Synced',
        'fluxcd/Kustomization/flux-old/apps=Synced',
      ]),
    );
    expect(await backend.row(identity.cluster, 'apps')).toMatchObject({
      revision: `main@sha1:${SHA1}`,
      source_url: 'https://git.example.com/fleet.git',
      health_status: 'Healthy',
    });
    expect(await backend.row(identity.cluster, 'fleet')).toMatchObject({
      revision: `main@sha1:${SHA1}`,
    });
    expect(await backend.row(identity.cluster, 'podinfo')).toMatchObject({
      revision: '6.5.4',
      target_revision: '6.5.4',
    });
    await eventually(async () =>
      expect(await kindsOnPortal(identity.cluster)).toEqual(
        expect.arrayContaining([
          {
            kind: 'Kustomization',
            apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
            state: 'watching',
          },
          {
            kind: 'HelmRelease',
            apiVersion: 'helm.toolkit.fluxcd.io/v2beta2',
            state: 'watching',
          },
          {
            kind: 'GitRepository',
            apiVersion: 'source.toolkit.fluxcd.io/v1beta2',
            state: 'watching',
          },
          {
            kind: 'OCIRepository',
            apiVersion: null,
            state: 'unavailable',
            reason:
              'CRD ocirepositories.source.toolkit.fluxcd.io is not installed',
          },
        ]),
      ),
    );

    // Sync reconciles the Kustomization and its GitRepository in the versions it watches.
    const item = (
      await portal('GET', '/v1/resources?cluster=old&q=apps')
    ).body.items.find((r: any) => r.name === 'apps');
    const created = await portal('POST', `/v1/resources/${item.id}/commands`, {
      type: 'sync',
    });
    expect(created.status).toBe(201);
    const done = await eventually(async () => {
      const res = await portal('GET', `/v1/commands/${created.body.id}`);
      expect(['succeeded', 'failed']).toContain(res.body.status);
      return res.body;
    });
    expect(done).toMatchObject({
      status: 'succeeded',
      message: expect.stringContaining('source GitRepository flux-old/fleet'),
    });
    for (const [plural, name] of [
      ['kustomizations', 'apps'],
      ['gitrepositories', 'fleet'],
    ]) {
      const obj: any = await cluster.custom.getNamespacedCustomObject({
        group:
          plural === 'kustomizations'
            ? 'kustomize.toolkit.fluxcd.io'
            : 'source.toolkit.fluxcd.io',
        version: 'v1beta2',
        namespace: 'flux-old',
        plural,
        name,
      });
      expect(obj.metadata.annotations?.[RECONCILE_ANNOTATION]).toBeDefined();
    }
  });

  it('watches v1 of a Kustomization served as both v1 and v1beta2', async () => {
    await cp.applyCrdManifests([
      servingVersions(current('kustomizations'), older('kustomizations')),
    ]);
    const identity = IDENTITIES[1];
    await cluster.namespace('flux-both');
    // Written by an older client; read in the version the agent chose.
    await create(
      'kustomize.toolkit.fluxcd.io/v1beta2',
      'kustomizations',
      'Kustomization',
      'flux-both',
      'infra',
      { path: './infra', sourceRef: { kind: 'GitRepository', name: 'fleet' } },
    );
    await startAgent(identity, 'flux-both');
    await eventually(async () =>
      expect(await backend.resources(identity.cluster)).toEqual([
        'fluxcd/Kustomization/flux-both/infra=Unknown',
      ]),
    );
    await eventually(async () =>
      expect(await kindsOnPortal(identity.cluster)).toEqual(
        expect.arrayContaining([
          {
            kind: 'Kustomization',
            apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
            state: 'watching',
          },
          // Chosen per kind: the HelmRelease CRD still serves only v2beta2.
          {
            kind: 'HelmRelease',
            apiVersion: 'helm.toolkit.fluxcd.io/v2beta2',
            state: 'watching',
          },
        ]),
      ),
    );
  });

  it('reports a kind served only in versions it does not read as unavailable, naming them, and watches it once a version it reads is served', async () => {
    const unknown = renamedVersion(current('ocirepositories'), 'v1alpha9');
    await cp.applyCrdManifests([unknown]);
    const identity = IDENTITIES[2];
    const agent = await startAgent(identity, 'flux-unknown');
    const reported = {
      kind: 'OCIRepository',
      apiVersion: null,
      state: 'unavailable',
      // The group serves v1beta2 too, for GitRepository only: versions are looked up per kind.
      reason:
        'ocirepositories.source.toolkit.fluxcd.io serves v1alpha9; this agent reads v1, v1beta2',
    };
    await eventually(async () =>
      expect(await kindsOnPortal(identity.cluster)).toContainEqual(reported),
    );
    // It does not hold readiness back, like a CRD that is not installed.
    await eventually(() => expect(agent.readiness().ready).toBe(true));

    await cp.applyCrdManifests([
      servingVersions(unknown, current('ocirepositories')),
    ]);
    await cluster.createFluxSource(
      'OCIRepository',
      'flux-unknown',
      'manifests',
      { url: 'oci://ghcr.io/acme/manifests', ref: { tag: 'v1' } },
    );
    await eventually(async () =>
      expect(await backend.resources(identity.cluster)).toEqual([
        'fluxcd/OCIRepository/flux-unknown/manifests=Unknown',
      ]),
    );
    await eventually(async () =>
      expect(await kindsOnPortal(identity.cluster)).toContainEqual({
        kind: 'OCIRepository',
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        state: 'watching',
      }),
    );
  });
});
