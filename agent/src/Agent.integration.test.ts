/*
 * The agent on a real kube-apiserver, pushing to the real gitops backend plugin (in-process
 * test backend on SQLite, agents authenticated by externalAccess static tokens). Faults are
 * real: the portal unreachable, an apiserver restart, a proxy that fails or silences watches.
 */
import {
  ApiextensionsV1Api,
  RbacAuthorizationV1Api,
  type KubeConfig,
} from '@kubernetes/client-node';
import {
  SESSION_SUPERSEDED_ERROR,
  blockingSyncWindow,
} from '@shoehorn/plugin-gitops-common';
import { Agent } from './Agent';
import { BackendClient } from './backend/BackendClient';
import { parseAgentConfig, RawConfig } from './config/AgentConfig';
import { silentLogger } from './logging/Logger';
import {
  ClusterObjects,
  eventually,
  ControlPlane,
  startControlPlane,
  FaultProxy,
} from '@shoehorn/gitops-test-kit';
import {
  AgentTestBackend,
  createAgentTestDatabases,
  startGitOpsBackendForAgent,
  TestAgentIdentity,
} from './__testUtils__/gitopsBackend';

jest.setTimeout(300_000);

// One identity per test (each test gets its own cluster), with room for new tests.
const IDENTITIES: TestAgentIdentity[] = Array.from({ length: 30 }, (_, i) => ({
  subject: `gitops-agent-${i}`,
  cluster: `cluster-${i}`,
  token: `static-agent-token-${i}-${'x'.repeat(16)}`,
}));

describe('Agent against a real kube-apiserver and the real backend', () => {
  let cp: ControlPlane;
  let backend: AgentTestBackend;
  let cluster: ClusterObjects;
  let identity: TestAgentIdentity;
  let nextIdentity = 0;
  const agents: Agent[] = [];
  const databases = createAgentTestDatabases();

  const startAgent = async (
    overrides: RawConfig = {},
    kubeConfig: KubeConfig = cp.kubeConfig,
  ) => {
    const config = parseAgentConfig({
      GITOPS_BACKEND_URL: backend.url,
      GITOPS_ALLOW_HTTP: 'true',
      GITOPS_AGENT_TOKEN: backend.tokenOf(identity),
      GITOPS_TOOL: 'argocd',
      GITOPS_ARGOCD_NAMESPACES: 'argocd',
      GITOPS_BACKOFF_MIN_MS: 100,
      GITOPS_BACKOFF_MAX_MS: 1000,
      GITOPS_CRD_RETRY_MS: 500,
      ...overrides,
    });
    const agent = new Agent(config, {
      kubeConfig,
      log: silentLogger,
      serveOps: false,
    });
    agents.push(agent);
    await agent.start();
    return agent;
  };

  const stopAgent = async (agent: Agent) => {
    agents.splice(agents.indexOf(agent), 1);
    await agent.stop();
  };

  const stored = () => backend.resources(identity.cluster);

  /** The backend's view equals the cluster's: same Applications with the same sync status. */
  const converged = async (namespace = 'argocd') => {
    const apps = await cluster.listApplications(namespace);
    const expected = apps
      .map(
        a =>
          `argocd/Application/${namespace}/${a.metadata.name}=${
            a.status?.sync?.status ?? 'Unknown'
          }`,
      )
      .sort();
    expect(await stored()).toEqual(expected);
  };

  /** What the portal stored of the agent's kind report (`/v1/clusters` shows it). */
  const storedKinds = async () => {
    const row = await backend
      .knex('gitops_clusters')
      .where({ name: identity.cluster })
      .first();
    return row?.kinds ? JSON.parse(row.kinds) : null;
  };

  const sessionOf = async () =>
    (
      await backend
        .knex('gitops_clusters')
        .where({ name: identity.cluster })
        .first()
    )?.agent_session;

  beforeAll(async () => {
    cp = await startControlPlane({ crds: true });
    cluster = new ClusterObjects(cp.kubeConfig);
    await cluster.namespace('argocd');
    backend = await startGitOpsBackendForAgent({
      agents: IDENTITIES,
      auth: 'static',
      databases,
    });
  });

  beforeEach(() => {
    identity = IDENTITIES[nextIdentity++];
    backend.gate.mode = 'open';
  });

  afterEach(async () => {
    for (const agent of agents.splice(0)) await agent.stop();
    for (const app of await cluster.listApplications('argocd')) {
      await cluster.deleteApplication('argocd', app.metadata.name);
    }
    await cluster.deleteAppProject('argocd', 'default').catch(() => {});
  });

  afterAll(async () => {
    await backend?.stop();
    await cp?.stop();
  });

  it('mirrors creates, updates and deletes of Applications', async () => {
    await cluster.createApplication('argocd', 'web');
    const agent = await startAgent();
    await eventually(() => converged());
    expect(await sessionOf()).toBe(agent.session);

    const t0 = Date.now();
    await cluster.createApplication('argocd', 'api', 'OutOfSync');
    await cluster.setApplicationSync('argocd', 'web', 'OutOfSync', 'd4e5f6');
    await eventually(() => converged(), 60_000, 50);
    const visibleMs = Date.now() - t0;
    expect(await backend.row(identity.cluster, 'web')).toMatchObject({
      sync_status: 'OutOfSync',
      target_revision: 'd4e5f6',
      source_url: 'https://git.example.com/web.git',
    });

    await cluster.deleteApplication('argocd', 'api');
    await eventually(() => converged());
    expect(await stored()).toEqual(['argocd/Application/argocd/web=OutOfSync']);
    process.stdout.write(
      `apiserver change → visible in the backend: ${visibleMs} ms\n`,
    );
  });

  it.each(['unavailable', 'refused'] as const)(
    'converges after the portal was %s while objects changed and vanished',
    async mode => {
      await cluster.createApplication('argocd', 'a');
      await cluster.createApplication('argocd', 'b');
      const agent = await startAgent();
      await eventually(() => converged());

      backend.gate.mode = mode;
      await cluster.setApplicationSync('argocd', 'a', 'OutOfSync');
      await cluster.deleteApplication('argocd', 'b');
      await cluster.createApplication('argocd', 'c');
      await eventually(async () =>
        expect(
          await agent.metrics.value('gitops_agent_push_failures_total'),
        ).toBeGreaterThan(0),
      );
      expect(agent.readiness().backend).toMatchObject({
        error: expect.any(String),
      });

      backend.gate.mode = 'open';
      const t0 = Date.now();
      await eventually(() => converged(), 60_000, 50);
      process.stdout.write(
        `portal ${mode} → back: converged in ${Date.now() - t0} ms\n`,
      );
      // A connection reset by the outage may fail one more push on reuse; it is retried.
      await eventually(() =>
        expect(agent.readiness().backend).not.toHaveProperty('error'),
      );
    },
  );

  it('removes objects deleted while the agent was not running', async () => {
    await cluster.createApplication('argocd', 'keep');
    await cluster.createApplication('argocd', 'gone');
    const first = await startAgent();
    await eventually(() => converged());
    await stopAgent(first);

    await cluster.deleteApplication('argocd', 'gone');
    const second = await startAgent();
    await eventually(() => converged());
    expect(await stored()).toEqual(['argocd/Application/argocd/keep=Synced']);
    expect(await sessionOf()).toBe(second.session);
  });

  it('recovers when the kube-apiserver restarts', async () => {
    await cluster.createApplication('argocd', 'before');
    const agent = await startAgent();
    await eventually(() => converged());

    await cp.restart();
    await cluster.createApplication('argocd', 'after');
    await cluster.deleteApplication('argocd', 'before');
    await eventually(() => converged());
    expect(agent.readiness().ready).toBe(true);
  });

  it('restarts an informer whose watch fails or goes silent', async () => {
    const proxy = new FaultProxy(
      cp.server,
      Buffer.from(cp.caData, 'base64').toString(),
    );
    await proxy.start();
    try {
      await cluster.createApplication('argocd', 'x');
      const agent = await startAgent(
        { GITOPS_WATCHDOG_MS: 1500 },
        proxy.kubeConfig(cp.adminToken),
      );
      await eventually(() => converged());

      proxy.mode = 'fail-watches';
      const watchesBefore = proxy.watchRequests;
      // End the current watch: the next one is refused with 500.
      agent.informers[0].restart('manual');
      await eventually(async () =>
        expect(
          await agent.metrics.value('gitops_agent_informer_restarts_total', {
            reason: 'error',
          }),
        ).toBeGreaterThan(0),
      );
      expect(proxy.watchRequests).toBeGreaterThan(watchesBefore);
      proxy.mode = 'pass';
      await cluster.setApplicationSync('argocd', 'x', 'OutOfSync');
      await eventually(() => converged());

      proxy.mode = 'silent';
      await eventually(async () =>
        expect(
          await agent.metrics.value('gitops_agent_informer_restarts_total', {
            reason: 'watchdog',
          }),
        ).toBeGreaterThan(0),
      );
      proxy.mode = 'pass';
      await cluster.setApplicationSync('argocd', 'x', 'Synced');
      await eventually(() => converged());
    } finally {
      await proxy.stop();
    }
  });

  it('keeps one pending record for a burst of updates of one object while the portal is down', async () => {
    await cluster.createApplication('argocd', 'busy');
    const agent = await startAgent();
    await eventually(() => converged());
    backend.gate.mode = 'unavailable';
    // Let a push fail so the sender is backing off, as while offline.
    await cluster.setApplicationSync('argocd', 'busy', 'OutOfSync', 'r-start');
    await eventually(async () =>
      expect(
        await agent.metrics.value('gitops_agent_push_failures_total'),
      ).toBeGreaterThan(0),
    );

    // 1,000 real writes (about 25 ms each on a loaded machine); 10,000 go through the
    // pipeline in PushSender.test.ts.
    const updates = 1_000;
    const t0 = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < updates) {
        const i = next++;
        await cluster.setApplicationSync(
          'argocd',
          'busy',
          i % 2 ? 'OutOfSync' : 'Synced',
          `r${i}`,
        );
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    process.stdout.write(
      `1k status updates written in ${Date.now() - t0} ms\n`,
    );
    const last = (await cluster.listApplications('argocd')).find(
      a => a.metadata.name === 'busy',
    ).status.sync.revision;
    await eventually(() =>
      expect(
        agent.inventory.get({
          tool: 'argocd',
          kind: 'Application',
          namespace: 'argocd',
          name: 'busy',
        })?.targetRevision,
      ).toBe(last),
    );
    expect(agent.buffer.size).toBeLessThanOrEqual(1);
    expect(
      await agent.metrics.value('gitops_agent_buffer_objects'),
    ).toBeLessThanOrEqual(1);

    backend.gate.mode = 'open';
    await eventually(async () =>
      expect(
        (
          await backend.row(identity.cluster, 'busy')
        )?.target_revision,
      ).toBe(last),
    );
  });

  it('hands over pushing to another replica when the leader goes away', async () => {
    await cluster.createApplication('argocd', 'led');
    await cluster.namespace('gitops');
    const election = {
      GITOPS_LEADER_ELECTION: 'true',
      POD_NAMESPACE: 'gitops',
      GITOPS_LEASE_DURATION_SECONDS: 3,
    };
    const a = await startAgent({ ...election, POD_NAME: 'a' });
    await eventually(() => expect(a.isLeader).toBe(true));
    const b = await startAgent({ ...election, POD_NAME: 'b' });
    await eventually(() => converged());
    await new Promise(r => setTimeout(r, 2000));
    expect(b.isLeader).toBe(false);
    expect(await sessionOf()).toBe(a.session);
    expect(await b.metrics.value('gitops_agent_pushes_total')).toBe(0);

    await stopAgent(a);
    await eventually(() => expect(b.isLeader).toBe(true));
    await cluster.createApplication('argocd', 'after-failover');
    await eventually(() => converged());
    expect(await sessionOf()).toBe(b.session);
  });

  it('orders sessions: a superseded agent starts a new session, a late push of the old one changes nothing', async () => {
    await cluster.createApplication('argocd', 'first');
    const fast = { GITOPS_HEARTBEAT_INTERVAL_MS: 300 };
    const a = await startAgent(fast);
    await eventually(() => converged());
    const oldSession = a.session;
    // A second agent for the same cluster and tool (a rolling update's new pod) begins a newer session.
    const b = await startAgent(fast);
    await eventually(async () => expect(await sessionOf()).toBe(b.session));
    // The first agent's next push is refused as superseded: it starts over with a snapshot.
    await eventually(() => expect(a.session).not.toBe(oldSession));
    expect(
      await a.metrics.value('gitops_agent_push_failures_total', {
        reason: 'superseded',
      }),
    ).toBeGreaterThanOrEqual(1);
    await stopAgent(b);
    await cluster.createApplication('argocd', 'second');
    await eventually(() => converged());
    await eventually(async () => expect(await sessionOf()).toBe(a.session));

    // A snapshot of the superseded session, as a deposed leader would send it late.
    const late = new BackendClient(backend.url, backend.tokenOf(identity)).push(
      {
        agent: { ...a.info, session: oldSession },
        seq: 1000,
        type: 'snapshot',
        upserts: [],
        deletes: [],
      },
    );
    await expect(late).rejects.toMatchObject({
      status: 409,
      errorName: SESSION_SUPERSEDED_ERROR,
    });
    await converged();
    expect(await sessionOf()).toBe(a.session);
  });

  it('reports a missing CRD in readiness and starts watching once it is installed', async () => {
    const crds = cp.kubeConfig.makeApiClient(ApiextensionsV1Api);
    await crds.deleteCustomResourceDefinition({
      name: 'helmreleases.helm.toolkit.fluxcd.io',
    });
    await eventually(async () =>
      expect(
        await cluster.custom
          .listClusterCustomObject({
            group: 'helm.toolkit.fluxcd.io',
            version: 'v2',
            plural: 'helmreleases',
          })
          .then(
            () => 200,
            e => e.code,
          ),
      ).toBe(404),
    );
    await cluster.namespace('flux-system');
    await cluster.createGitRepository(
      'flux-system',
      'repo',
      'https://git.example.com/fleet.git',
    );
    const agent = await startAgent({
      GITOPS_TOOL: 'fluxcd',
      GITOPS_FLUX_NAMESPACES: 'flux-system',
    });
    await eventually(() =>
      expect(agent.readiness()).toMatchObject({
        ready: true,
        missingCrds: ['helmreleases.helm.toolkit.fluxcd.io'],
      }),
    );
    // Every push carries the report, so the portal learns it without any object changing.
    await eventually(async () =>
      expect(await storedKinds()).toContainEqual({
        kind: 'HelmRelease',
        apiVersion: null,
        state: 'unavailable',
        reason: 'CRD helmreleases.helm.toolkit.fluxcd.io is not installed',
      }),
    );
    expect(
      await agent.metrics.value('gitops_agent_crd_missing', {
        kind: 'HelmRelease',
      }),
    ).toBe(1);
    // The other kinds are pushed meanwhile.
    await eventually(async () =>
      expect(await stored()).toEqual([
        'fluxcd/GitRepository/flux-system/repo=Unknown',
      ]),
    );

    await cp.applyCrds(['helmreleases']);
    await cluster.custom.createNamespacedCustomObject({
      group: 'helm.toolkit.fluxcd.io',
      version: 'v2',
      namespace: 'flux-system',
      plural: 'helmreleases',
      body: {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'podinfo', namespace: 'flux-system' },
        spec: {
          chart: {
            spec: {
              chart: 'podinfo',
              sourceRef: { kind: 'HelmRepository', name: 'podinfo' },
            },
          },
        },
      },
    });
    await eventually(async () =>
      expect(await stored()).toEqual([
        'fluxcd/GitRepository/flux-system/repo=Unknown',
        'fluxcd/HelmRelease/flux-system/podinfo=Unknown',
      ]),
    );
    expect(agent.readiness().missingCrds).toEqual([]);
    await eventually(async () =>
      expect(await storedKinds()).toContainEqual({
        kind: 'HelmRelease',
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        state: 'watching',
      }),
    );
  });

  it('keeps the rows of a kind whose informer lost access, and reports it stale instead of ready', async () => {
    const rbac = cp.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    const binding = {
      metadata: { name: 'agent-reads-applications' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'agent-reads-applications',
      },
      subjects: [
        { kind: 'ServiceAccount', name: 'revocable', namespace: 'argocd' },
      ],
    };
    await rbac.createClusterRole({
      body: {
        metadata: { name: 'agent-reads-applications' },
        rules: [
          {
            apiGroups: ['argoproj.io'],
            resources: ['applications'],
            verbs: ['get', 'list', 'watch'],
          },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: 'argocd',
      body: binding,
    });
    await cluster.createApplication('argocd', 'web');
    const agent = await startAgent(
      {},
      await cp.kubeConfigFor('argocd', 'revocable'),
    );
    await eventually(() => converged());
    await eventually(() => expect(agent.readiness().ready).toBe(true));
    const rows = await stored();
    expect(rows).toHaveLength(1);

    await rbac.deleteNamespacedRoleBinding({
      namespace: 'argocd',
      name: binding.metadata.name,
    });
    await eventually(() => {
      // The next relist is the first request the revoked binding refuses.
      if (agent.informers[0].state === 'synced')
        agent.informers[0].restart('manual');
      expect(agent.readiness()).toMatchObject({
        ready: false,
        staleKinds: ['Application'],
      });
    });
    expect(await stored()).toEqual(rows);
    // It may never read AppProjects: reported unavailable, and the agent was ready all along.
    const noProjects = {
      kind: 'AppProject',
      apiVersion: null,
      state: 'unavailable',
      reason: expect.stringMatching(
        /^not allowed to read appprojects.argoproj.io: .*403/,
      ),
    };
    await eventually(async () =>
      expect(await storedKinds()).toEqual([
        expect.objectContaining({
          kind: 'Application',
          apiVersion: 'argoproj.io/v1alpha1',
          state: 'stale',
          reason: expect.stringContaining('403'),
        }),
        noProjects,
      ]),
    );

    await rbac.createNamespacedRoleBinding({
      namespace: 'argocd',
      body: binding,
    });
    await eventually(() =>
      expect(agent.readiness()).toMatchObject({ ready: true, staleKinds: [] }),
    );
    await eventually(async () =>
      expect(await storedKinds()).toEqual([
        {
          kind: 'Application',
          apiVersion: 'argoproj.io/v1alpha1',
          state: 'watching',
        },
        noProjects,
      ]),
    );
    expect(
      JSON.parse((await backend.row(identity.cluster, 'web')).readiness),
    ).toEqual({ waitsOn: [], syncProblem: null });
  });

  it("pushes each Application with its AppProject's sync windows that match it, again when the project changes", async () => {
    const denyWeb = {
      kind: 'deny',
      // Open at any time: each minute opens it for another hour.
      schedule: '* * * * *',
      duration: '1h',
      applications: ['web'],
      manualSync: true,
    };
    const allowElsewhere = {
      kind: 'allow',
      schedule: '0 9 * * 1-5',
      duration: '8h',
      namespaces: ['elsewhere'],
    };
    await cluster.applyAppProject('argocd', 'default', [
      denyWeb,
      allowElsewhere,
    ]);
    await cluster.createApplication('argocd', 'web', 'OutOfSync');
    await cluster.createApplication('argocd', 'api', 'OutOfSync');
    await startAgent();
    const windowsOf = async (name: string) =>
      JSON.parse((await backend.row(identity.cluster, name))?.readiness ?? '{}')
        .syncWindows;
    const carried = {
      kind: 'deny',
      schedule: '* * * * *',
      duration: '1h',
      timeZone: 'UTC',
      manualSync: true,
    };
    await eventually(async () =>
      expect(await windowsOf('web')).toEqual([carried]),
    );
    expect(await windowsOf('api')).toEqual([]);
    // What the portal reads: the open deny window holds web's automated sync.
    expect(
      blockingSyncWindow(await windowsOf('web'), Date.now(), false),
    ).toMatchObject({ window: carried, manualSyncAllowed: true });
    expect(await storedKinds()).toContainEqual({
      kind: 'AppProject',
      apiVersion: 'argoproj.io/v1alpha1',
      state: 'watching',
    });

    await cluster.applyAppProject('argocd', 'default', [
      { ...denyWeb, applications: ['*'], timeZone: 'Europe/Berlin' },
    ]);
    const berlin = { ...carried, timeZone: 'Europe/Berlin' };
    await eventually(async () => {
      expect(await windowsOf('web')).toEqual([berlin]);
      expect(await windowsOf('api')).toEqual([berlin]);
    });

    // Without its project the app carries no windows: the portal knows none.
    await cluster.deleteAppProject('argocd', 'default');
    await eventually(async () =>
      expect(await windowsOf('web')).toBeUndefined(),
    );
  });

  it('re-resolves a Kustomization source URL when its GitRepository changes', async () => {
    await cluster.namespace('flux-apps');
    await cluster.createGitRepository(
      'flux-apps',
      'fleet',
      'https://git.example.com/old.git',
    );
    await cluster.createKustomization('flux-apps', 'apps', 'fleet');
    await startAgent({
      GITOPS_TOOL: 'fluxcd',
      GITOPS_FLUX_NAMESPACES: 'flux-apps',
    });
    const row = () => backend.row(identity.cluster, 'apps');
    await eventually(async () =>
      expect((await row())?.source_url).toBe('https://git.example.com/old.git'),
    );
    await cluster.setGitRepositoryUrl(
      'flux-apps',
      'fleet',
      'https://git.example.com/new.git',
    );
    await eventually(async () =>
      expect((await row())?.source_url).toBe('https://git.example.com/new.git'),
    );
    await cluster.setKustomizationStatus('flux-apps', 'apps', {
      lastAppliedRevision: 'main@sha1:1111',
      lastAttemptedRevision: 'main@sha1:2222',
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'BuildFailed',
          message: 'kustomize build failed',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    });
    await eventually(async () =>
      expect(await row()).toMatchObject({
        sync_status: 'OutOfSync',
        health_status: 'Degraded',
        message: 'kustomize build failed',
      }),
    );
  });

  it('watches OCIRepository and HelmRepository sources and pushes what each Kustomization waits on', async () => {
    await cluster.namespace('flux-chain');
    const failing = {
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'AuthenticationFailed',
          message: 'failed to pull: 401 Unauthorized',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    };
    await cluster.createFluxSource(
      'OCIRepository',
      'flux-chain',
      'manifests',
      { url: 'oci://ghcr.io/acme/manifests', ref: { tag: 'v1' } },
      failing,
    );
    await cluster.createFluxSource('HelmRepository', 'flux-chain', 'charts', {
      url: 'https://charts.example.com',
    });
    await cluster.createKustomization('flux-chain', 'web', 'unused', {
      sourceRef: { kind: 'OCIRepository', name: 'manifests' },
      dependsOn: [{ name: 'infra', namespace: 'ops' }],
    });
    await startAgent({
      GITOPS_TOOL: 'fluxcd',
      GITOPS_FLUX_NAMESPACES: 'flux-chain',
    });
    await eventually(async () =>
      expect(await stored()).toEqual([
        'fluxcd/HelmRepository/flux-chain/charts=Unknown',
        'fluxcd/Kustomization/flux-chain/web=Unknown',
        'fluxcd/OCIRepository/flux-chain/manifests=OutOfSync',
      ]),
    );
    expect(await backend.row(identity.cluster, 'manifests')).toMatchObject({
      health_status: 'Degraded',
      source_url: 'oci://ghcr.io/acme/manifests',
      target_revision: 'v1',
      message: 'failed to pull: 401 Unauthorized',
    });
    // Resolved whichever of the two objects the agent saw first.
    const web = await eventually(async () => {
      const row = await backend.row(identity.cluster, 'web');
      expect(row.source_url).toBe('oci://ghcr.io/acme/manifests');
      return row;
    });
    expect(JSON.parse(web.readiness)).toEqual({
      waitsOn: [
        {
          role: 'source',
          kind: 'OCIRepository',
          namespace: 'flux-chain',
          name: 'manifests',
        },
        {
          role: 'dependsOn',
          kind: 'Kustomization',
          namespace: 'ops',
          name: 'infra',
        },
      ],
      syncProblem: null,
    });
  });
});
