/*
 * Commands end to end: a portal API request to the real backend plugin, delivered by
 * long-poll to the agent, executed against the ArgoCD API test server or the real
 * kube-apiserver (Flux: Sync, Refresh, Suspend and Resume), and finished in the command ledger.
 */
import type { GitOpsCommandView } from '@shoehorn/plugin-gitops-common';
import { Agent } from '../Agent';
import { parseAgentConfig, RawConfig } from '../config/AgentConfig';
import { silentLogger } from '../logging/Logger';
import {
  ArgoCdApiServer,
  ClusterObjects,
  eventually,
  ControlPlane,
  startControlPlane,
} from '@shoehorn/gitops-test-kit';
import {
  AgentTestBackend,
  createAgentTestDatabases,
  startGitOpsBackendForAgent,
  TestAgentIdentity,
} from '../__testUtils__/gitopsBackend';
import { RECONCILE_ANNOTATION } from './FluxCommands';

jest.setTimeout(180_000);

const ARGO: TestAgentIdentity = {
  subject: 'gitops-agent-argo',
  cluster: 'prod-eu',
  token: 'unused',
};
const READ_ONLY: TestAgentIdentity = {
  subject: 'gitops-agent-ro',
  cluster: 'prod-us',
  token: 'unused',
};
const FLUX: TestAgentIdentity = {
  subject: 'gitops-agent-flux',
  cluster: 'edge-1',
  token: 'unused',
};
/** A Flux agent in the ArgoCD agent's cluster. */
const FLUX_EU: TestAgentIdentity = {
  subject: 'gitops-agent-flux-eu',
  cluster: 'prod-eu',
  token: 'unused',
};

describe('commands end to end', () => {
  const databases = createAgentTestDatabases();
  let cp: ControlPlane;
  let cluster: ClusterObjects;
  let backend: AgentTestBackend;
  let argocd: ArgoCdApiServer;
  const agents: Agent[] = [];

  const portal = (method: string, path: string, body?: unknown) =>
    backend.portal(method, path, body);

  const startAgent = async (
    identity: TestAgentIdentity,
    overrides: RawConfig,
  ) => {
    const agent = new Agent(
      parseAgentConfig({
        GITOPS_BACKEND_URL: backend.url,
        GITOPS_ALLOW_HTTP: 'true',
        GITOPS_AGENT_TOKEN: backend.tokenOf(identity),
        GITOPS_BACKOFF_MIN_MS: 100,
        GITOPS_BACKOFF_MAX_MS: 1000,
        ...overrides,
      }),
      { kubeConfig: cp.kubeConfig, log: silentLogger, serveOps: false },
    );
    agents.push(agent);
    await agent.start();
    return agent;
  };

  const resourceId = (clusterName: string, name: string) =>
    eventually(async () => {
      const res = await portal(
        'GET',
        `/v1/resources?cluster=${clusterName}&q=${name}`,
      );
      const item = res.body.items?.find((r: any) => r.name === name);
      if (!item)
        throw new Error(`${clusterName}/${name} not in the portal yet`);
      return item.id as string;
    });

  const finished = (id: string) =>
    eventually(async () => {
      const res = await portal('GET', `/v1/commands/${id}`);
      if (!['succeeded', 'failed'].includes(res.body.status))
        throw new Error(`command ${id} is ${res.body.status}`);
      return res.body as GitOpsCommandView;
    });

  beforeAll(async () => {
    cp = await startControlPlane({ crds: true });
    cluster = new ClusterObjects(cp.kubeConfig);
    await cluster.namespace('argocd');
    await cluster.namespace('team-a');
    await cluster.namespace('flux-system');
    await cluster.createApplication('argocd', 'web', 'OutOfSync');
    await cluster.createApplication('team-a', 'api');
    await cluster.createGitRepository(
      'flux-system',
      'fleet',
      'https://git.example.com/fleet.git',
    );
    await cluster.createKustomization('flux-system', 'apps', 'fleet');
    backend = await startGitOpsBackendForAgent({
      agents: [ARGO, READ_ONLY, FLUX, FLUX_EU],
      auth: 'mock',
      databases,
      commandLease: '3s',
    });
    argocd = new ArgoCdApiServer('argocd-api-token');
    await argocd.start();
    argocd.apps.set('argocd/web', { sync: 'OutOfSync', health: 'Healthy' });
    argocd.apps.set('team-a/api', { sync: 'Synced', health: 'Healthy' });
    await startAgent(ARGO, {
      GITOPS_TOOL: 'argocd',
      GITOPS_ARGOCD_NAMESPACES: 'argocd,team-a',
      GITOPS_ARGOCD_SERVER_URL: argocd.url,
      GITOPS_ARGOCD_TOKEN: 'argocd-api-token',
    });
    await startAgent(READ_ONLY, {
      GITOPS_TOOL: 'argocd',
      GITOPS_ARGOCD_NAMESPACES: 'argocd',
    });
    await startAgent(FLUX, {
      GITOPS_TOOL: 'fluxcd',
      GITOPS_FLUX_NAMESPACES: 'flux-system',
      GITOPS_FLUX_RECONCILE_WAIT_MS: 500,
    });
  });

  afterAll(async () => {
    for (const agent of agents) await agent.stop();
    await argocd?.stop();
    await backend?.stop();
    await cp?.stop();
  });

  beforeEach(() => {
    argocd.requests.length = 0;
    backend.gate.failResults = false;
  });

  it('syncs an ArgoCD Application through the ArgoCD API and records success', async () => {
    const id = await resourceId('prod-eu', 'web');
    const t0 = Date.now();
    const created = await portal('POST', `/v1/resources/${id}/commands`, {
      type: 'sync',
    });
    expect(created.status).toBe(201);
    const done = await finished(created.body.id);
    process.stdout.write(`sync: queued → succeeded in ${Date.now() - t0} ms\n`);
    expect(done).toMatchObject({
      status: 'succeeded',
      message: 'ArgoCD accepted the sync of argocd/web (operation Running)',
    });
    expect(argocd.requests).toEqual([
      {
        method: 'POST',
        path: '/api/v1/applications/web/sync',
        query: {},
        body: {},
        authorization: 'Bearer argocd-api-token',
      },
    ]);
  });

  it('hard-refreshes an Application outside the control-plane namespace', async () => {
    const id = await resourceId('prod-eu', 'api');
    const created = await portal('POST', `/v1/resources/${id}/commands`, {
      type: 'refresh',
      hard: true,
    });
    expect(created.status).toBe(201);
    expect(await finished(created.body.id)).toMatchObject({
      status: 'succeeded',
    });
    expect(argocd.requests.map(r => [r.method, r.path, r.query])).toEqual([
      [
        'GET',
        '/api/v1/applications/api',
        { refresh: 'hard', appNamespace: 'team-a' },
      ],
    ]);
  });

  it("records ArgoCD's own error text when the command fails", async () => {
    argocd.apps.delete('argocd/web');
    try {
      const id = await resourceId('prod-eu', 'web');
      const created = await portal('POST', `/v1/resources/${id}/commands`, {
        type: 'sync',
      });
      expect(await finished(created.body.id)).toMatchObject({
        status: 'failed',
        message: expect.stringContaining(
          'ArgoCD API error (HTTP 403): permission denied: applications, get, default/web',
        ),
      });
    } finally {
      argocd.apps.set('argocd/web', { sync: 'OutOfSync', health: 'Healthy' });
    }
  });

  it('refuses commands for a cluster whose agent has no ArgoCD token, and that agent never writes', async () => {
    const id = await resourceId('prod-us', 'web');
    const refused = await portal('POST', `/v1/resources/${id}/commands`, {
      type: 'sync',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/prod-us/);
    expect(argocd.requests).toEqual([]);
  });

  it('reconciles a Flux Kustomization with its source through the kube-apiserver', async () => {
    const id = await resourceId('edge-1', 'apps');
    const created = await portal('POST', `/v1/resources/${id}/commands`, {
      type: 'sync',
    });
    expect(created.status).toBe(201);
    const done = await finished(created.body.id);
    expect(done.status).toBe('succeeded');
    expect(done.message).toContain(
      'the API server accepted the reconcile.fluxcd.io/requestedAt annotation',
    );
    expect(done.message).toContain('source GitRepository flux-system/fleet');
    const ks = await cluster.getKustomization('flux-system', 'apps');
    expect(ks.metadata.annotations[RECONCILE_ANNOTATION]).toBeDefined();
  });

  it('suspends and resumes a Flux Kustomization: spec.suspend in the cluster, then the portal, follow', async () => {
    const id = await resourceId('edge-1', 'apps');
    const state = async () => {
      const res = await portal('GET', `/v1/resources/${id}`);
      return [res.body.suspended, res.body.healthStatus];
    };
    const suspend = await portal('POST', `/v1/resources/${id}/commands`, {
      type: 'suspend',
    });
    expect(suspend.status).toBe(201);
    expect(await finished(suspend.body.id)).toMatchObject({
      status: 'succeeded',
      message: expect.stringContaining(
        'Kustomization flux-system/apps suspended: spec.suspend set to true',
      ),
    });
    expect(
      (await cluster.getKustomization('flux-system', 'apps')).spec.suspend,
    ).toBe(true);
    // The agent's watch pushes the change back.
    await eventually(async () =>
      expect(await state()).toEqual([true, 'Suspended']),
    );

    const resume = await portal('POST', `/v1/resources/${id}/commands`, {
      type: 'resume',
    });
    expect(await finished(resume.body.id)).toMatchObject({
      status: 'succeeded',
    });
    expect(
      (await cluster.getKustomization('flux-system', 'apps')).spec.suspend,
    ).toBe(false);
    await eventually(async () => expect((await state())[0]).toBe(false));

    const app = await resourceId('prod-eu', 'web');
    const refused = await portal('POST', `/v1/resources/${app}/commands`, {
      type: 'suspend',
    });
    expect(refused.status).toBe(409);
    expect(argocd.requests).toEqual([]);
  });

  it('runs a redelivered command once and reports its result again', async () => {
    const id = await resourceId('prod-eu', 'web');
    backend.gate.failResults = true;
    const created = await portal('POST', `/v1/resources/${id}/commands`, {
      type: 'sync',
    });
    await eventually(() => expect(argocd.requests).toHaveLength(1));
    // The result is lost; after the 3 s lease the backend delivers the command again.
    await new Promise(r => setTimeout(r, 4000));
    expect(
      (await portal('GET', `/v1/commands/${created.body.id}`)).body.status,
    ).not.toBe('succeeded');
    backend.gate.failResults = false;
    expect(await finished(created.body.id)).toMatchObject({
      status: 'succeeded',
    });
    expect(argocd.requests).toHaveLength(1);
  });

  it('delivers each command of a cluster with an ArgoCD and a Flux agent to the agent of its tool only', async () => {
    await startAgent(FLUX_EU, {
      GITOPS_TOOL: 'fluxcd',
      GITOPS_FLUX_NAMESPACES: 'flux-system',
      GITOPS_FLUX_RECONCILE_WAIT_MS: 500,
    });
    const kustomization = await resourceId('prod-eu', 'apps');
    const clusters = await portal('GET', '/v1/clusters');
    expect(
      clusters.body.items
        .find((c: any) => c.name === 'prod-eu')
        .agents.map((a: any) => [a.tool, a.capabilities]),
    ).toEqual([
      ['argocd', { sync: true, refresh: true, suspend: false }],
      ['fluxcd', { sync: true, refresh: true, suspend: true }],
    ]);

    const fluxSync = await portal(
      'POST',
      `/v1/resources/${kustomization}/commands`,
      { type: 'sync' },
    );
    expect(fluxSync.status).toBe(201);
    const fluxDone = await finished(fluxSync.body.id);
    expect(fluxDone.status).toBe('succeeded');
    expect(fluxDone.message).toContain(
      'the API server accepted the reconcile.fluxcd.io/requestedAt annotation',
    );

    const app = await resourceId('prod-eu', 'web');
    const argoSync = await portal('POST', `/v1/resources/${app}/commands`, {
      type: 'sync',
    });
    expect(await finished(argoSync.body.id)).toMatchObject({
      status: 'succeeded',
      message: 'ArgoCD accepted the sync of argocd/web (operation Running)',
    });
    // Only the ArgoCD command reached the ArgoCD API.
    expect(argocd.requests.map(r => [r.method, r.path])).toEqual([
      ['POST', '/api/v1/applications/web/sync'],
    ]);
  });
});
