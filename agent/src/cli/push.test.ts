import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '@shoehorn/gitops-test-kit';
import {
  AgentTestBackend,
  createAgentTestDatabases,
  startGitOpsBackendForAgent,
  TestAgentIdentity,
} from '../__testUtils__/gitopsBackend';
import { runPush } from './push';

jest.setTimeout(120_000);

const DEMO: TestAgentIdentity = {
  subject: 'gitops-agent-demo',
  cluster: 'demo',
  token: 'demo-static-token-0123456789',
};

const APPS = `
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: web, namespace: argocd }
spec:
  source: { repoURL: https://git.example.com/web.git, path: deploy, targetRevision: main }
status:
  sync: { status: OutOfSync, revision: abc }
  health: { status: Healthy }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: not-gitops, namespace: argocd }
`;

const FLUX = `
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet, namespace: flux-system }
spec: { url: https://git.example.com/fleet.git, ref: { branch: main } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, namespace: flux-system }
spec: { path: ./apps, sourceRef: { kind: GitRepository, name: fleet } }
`;

describe('gitops-agent push --files', () => {
  const databases = createAgentTestDatabases();
  let backend: AgentTestBackend;
  let dir: string;
  const output = () => {
    const o = { stdout: '', stderr: '' };
    return {
      o,
      out: {
        stdout: (t: string) => void (o.stdout += t),
        stderr: (t: string) => void (o.stderr += t),
      },
    };
  };

  beforeAll(async () => {
    backend = await startGitOpsBackendForAgent({
      agents: [DEMO],
      auth: 'static',
      databases,
    });
  });
  afterAll(() => backend?.stop());

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-push-'));
    fs.writeFileSync(path.join(dir, 'apps.yaml'), APPS);
    fs.writeFileSync(path.join(dir, 'flux.yaml'), FLUX);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('pushes the objects of the files as snapshots, read-only', async () => {
    const { o, out } = output();
    const code = await runPush(
      [
        '--files',
        path.join(dir, 'apps.yaml'),
        path.join(dir, 'flux.yaml'),
        '--backend-url',
        backend.url,
        '--allow-http',
        '--token',
        DEMO.token,
      ],
      out,
    );
    expect(o.stderr).toContain('skipped v1 ConfigMap argocd/not-gitops');
    expect(code).toBe(0);
    expect(o.stdout).toContain(
      `pushed 1 argocd resource, 2 fluxcd resources to ${backend.url}`,
    );
    expect(await backend.resources('demo')).toEqual([
      'argocd/Application/argocd/web=OutOfSync',
      'fluxcd/GitRepository/flux-system/fleet=Unknown',
      'fluxcd/Kustomization/flux-system/apps=Unknown',
    ]);
    expect((await backend.row('demo', 'apps')).source_url).toBe(
      'https://git.example.com/fleet.git',
    );
    const clusterRow = await backend
      .knex('gitops_clusters')
      .where({ name: 'demo' })
      .first();
    expect(JSON.parse(clusterRow.capabilities)).toEqual({
      sync: false,
      refresh: false,
      suspend: false,
    });
  });

  it('keeps pushing changes of the files with --watch', async () => {
    const abort = new AbortController();
    const { o, out } = output();
    const file = path.join(dir, 'apps.yaml');
    const run = runPush(['--files', file, '--watch'], out, {
      env: {
        GITOPS_BACKEND_URL: backend.url,
        GITOPS_ALLOW_HTTP: 'true',
        GITOPS_AGENT_TOKEN: DEMO.token,
      },
      signal: abort.signal,
    });
    await eventually(() => expect(o.stdout).toContain('watching'));
    fs.writeFileSync(
      file,
      APPS.replace('status: OutOfSync', 'status: Synced').replace(
        'name: web',
        'name: web2',
      ),
    );
    await eventually(async () =>
      expect(
        (await backend.resources('demo')).filter(r => r.startsWith('argocd/')),
      ).toEqual(['argocd/Application/argocd/web2=Synced']),
    );
    abort.abort();
    expect(await run).toBe(0);
  });

  it('fails clearly on a refused token, a bad file or missing settings', async () => {
    let { o, out } = output();
    expect(
      await runPush(
        [
          '--files',
          path.join(dir, 'apps.yaml'),
          '--backend-url',
          backend.url,
          '--allow-http',
          '--token',
          'wrong',
        ],
        out,
      ),
    ).toBe(1);
    expect(o.stderr).toMatch(/HTTP 401/);

    // Any refusal that a retry cannot fix ends at once, not at --timeout.
    ({ o, out } = output());
    const started = Date.now();
    expect(
      await runPush(
        [
          '--files',
          path.join(dir, 'apps.yaml'),
          '--backend-url',
          `${backend.url}/not-the-portal`,
          '--allow-http',
          '--token',
          DEMO.token,
          '--timeout',
          '60',
        ],
        out,
      ),
    ).toBe(1);
    expect(o.stderr).toMatch(/HTTP 404/);
    expect(Date.now() - started).toBeLessThan(20_000);

    ({ o, out } = output());
    expect(
      await runPush(
        [
          '--files',
          path.join(dir, 'missing.yaml'),
          '--backend-url',
          backend.url,
          '--allow-http',
          '--token',
          DEMO.token,
        ],
        out,
      ),
    ).toBe(1);
    expect(o.stderr).toContain('missing.yaml');

    ({ o, out } = output());
    expect(
      await runPush(['--files', path.join(dir, 'apps.yaml')], out, { env: {} }),
    ).toBe(2);
    expect(o.stderr).toContain('--backend-url / GITOPS_BACKEND_URL: required');
    expect(o.stderr).toContain('--token / GITOPS_AGENT_TOKEN: required');

    ({ o, out } = output());
    expect(await runPush([path.join(dir, 'apps.yaml')], out, { env: {} })).toBe(
      2,
    );
    expect(o.stderr).toContain('files go after --files');

    ({ o, out } = output());
    expect(
      await runPush(
        [
          '--files',
          path.join(dir, 'apps.yaml'),
          '--backend-url',
          backend.url,
          '--token',
          DEMO.token,
        ],
        out,
        { env: {} },
      ),
    ).toBe(2);
    expect(o.stderr).toContain(
      '--backend-url / GITOPS_BACKEND_URL: must be an https URL',
    );
  });
});

describe('gitops-agent push --files --watch --simulate-commands', () => {
  const databases = createAgentTestDatabases();
  const SIM: TestAgentIdentity = {
    subject: 'gitops-agent-sim',
    cluster: 'sim',
    token: 'unused',
  };
  let backend: AgentTestBackend;
  let dir: string;

  const portal = (method: string, route: string, body?: unknown) =>
    backend.portal(method, route, body);
  const resource = (name: string) =>
    eventually(async () => {
      const res = await portal('GET', `/v1/resources?cluster=sim&q=${name}`);
      const item = res.body.items?.find((r: any) => r.name === name);
      if (!item) throw new Error(`${name} not in the portal yet`);
      return item;
    });
  const finished = (id: string) =>
    eventually(async () => {
      const res = await portal('GET', `/v1/commands/${id}`);
      if (!['succeeded', 'failed'].includes(res.body.status))
        throw new Error(`command ${id} is ${res.body.status}`);
      return res.body;
    });

  /** Runs `push --watch --simulate-commands` on the files while `use` talks to the portal. */
  const simulating = async (files: string[], use: () => Promise<void>) => {
    const abort = new AbortController();
    let stdout = '';
    const run = runPush(
      [
        '--files',
        ...files.map(f => path.join(dir, f)),
        '--watch',
        '--simulate-commands',
      ],
      { stdout: t => void (stdout += t), stderr: () => {} },
      {
        env: {
          GITOPS_BACKEND_URL: backend.url,
          GITOPS_ALLOW_HTTP: 'true',
          GITOPS_AGENT_TOKEN: backend.tokenOf(SIM),
        },
        signal: abort.signal,
      },
    );
    try {
      await eventually(() => expect(stdout).toContain('(simulated)'));
      await use();
    } finally {
      abort.abort();
    }
    expect(await run).toBe(0);
  };

  beforeAll(async () => {
    backend = await startGitOpsBackendForAgent({
      agents: [SIM],
      auth: 'mock',
      databases,
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-sim-'));
    fs.writeFileSync(path.join(dir, 'apps.yaml'), APPS);
    fs.writeFileSync(path.join(dir, 'flux.yaml'), FLUX);
  });
  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('needs --watch', async () => {
    let stderr = '';
    const code = await runPush(
      ['--files', path.join(dir, 'apps.yaml'), '--simulate-commands'],
      { stdout: () => {}, stderr: t => void (stderr += t) },
      { env: {} },
    );
    expect(code).toBe(2);
    expect(stderr).toContain('--simulate-commands needs --watch');
  });

  it('runs Suspend and Resume from the portal on its Flux objects, and reports them only for FluxCD', async () => {
    await simulating(['apps.yaml', 'flux.yaml'], async () => {
      const clusters = await portal('GET', '/v1/clusters');
      expect(
        clusters.body.items
          .find((c: any) => c.name === 'sim')
          .agents.map((a: any) => [a.tool, a.capabilities.suspend]),
      ).toEqual([
        ['argocd', false],
        ['fluxcd', true],
      ]);
      const apps = await resource('apps');
      expect(apps).toMatchObject({ suspended: false, healthStatus: 'Unknown' });

      const suspend = await portal(
        'POST',
        `/v1/resources/${apps.id}/commands`,
        {
          type: 'suspend',
        },
      );
      expect(suspend.status).toBe(201);
      expect(await finished(suspend.body.id)).toMatchObject({
        status: 'succeeded',
        message: 'suspended Kustomization flux-system/apps (simulated)',
      });
      await eventually(async () =>
        expect(await resource('apps')).toMatchObject({
          suspended: true,
          autoSync: false,
          healthStatus: 'Suspended',
        }),
      );

      const resume = await portal('POST', `/v1/resources/${apps.id}/commands`, {
        type: 'resume',
      });
      expect(await finished(resume.body.id)).toMatchObject({
        status: 'succeeded',
        message: 'resumed Kustomization flux-system/apps (simulated)',
      });
      // Back to the health it had before the Suspend.
      await eventually(async () =>
        expect(await resource('apps')).toMatchObject({
          suspended: false,
          autoSync: true,
          healthStatus: 'Unknown',
        }),
      );
    });
  });

  it('runs Sync from the portal on its objects: the command succeeds and the resource turns Synced', async () => {
    await simulating(['apps.yaml'], async () => {
      const before = await resource('web');
      expect(before).toMatchObject({ syncStatus: 'OutOfSync' });

      const sync = await portal('POST', `/v1/resources/${before.id}/commands`, {
        type: 'sync',
      });
      expect(sync.status).toBe(201);
      expect(await finished(sync.body.id)).toMatchObject({
        status: 'succeeded',
        message: 'synced Application argocd/web to abc (simulated)',
      });
      await eventually(async () =>
        expect(await resource('web')).toMatchObject({
          syncStatus: 'Synced',
          revision: 'abc',
          drift: { detected: false, reason: null },
        }),
      );

      const refresh = await portal(
        'POST',
        `/v1/resources/${before.id}/commands`,
        { type: 'refresh' },
      );
      expect(refresh.status).toBe(201);
      expect(await finished(refresh.body.id)).toMatchObject({
        status: 'succeeded',
        message: 'refreshed Application argocd/web (simulated)',
      });
    });
  });
});
