import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  AgentTestBackend,
  createAgentTestDatabases,
  startGitOpsBackendForAgent,
} from '../__testUtils__/gitopsBackend';
import {
  ClusterObjects,
  eventually,
  ControlPlane,
  startControlPlane,
} from '@shoehorn/gitops-test-kit';

jest.setTimeout(180_000);

const AGENT = {
  subject: 'gitops-agent-proc',
  cluster: 'proc',
  token: 'proc-static-token-0123456789',
};

// eslint-disable-next-line no-restricted-syntax
const AGENT_DIR = path.resolve(__dirname, '../..');
const BIN = path.join(AGENT_DIR, 'bin/gitops-agent');

/** Bundles the agent exactly as the Dockerfile does; returns the file. */
function bundle(dir: string): string {
  const out = path.join(dir, 'gitops-agent.js');
  execFileSync(
    path.join(AGENT_DIR, '../node_modules/.bin/esbuild'),
    [
      path.join(AGENT_DIR, 'src/bin.ts'),
      '--bundle',
      '--platform=node',
      '--target=node22',
      `--outfile=${out}`,
      '--log-level=warning',
    ],
    { stdio: 'pipe' },
  );
  return out;
}

describe('gitops-agent run (a real process)', () => {
  const databases = createAgentTestDatabases();
  let cp: ControlPlane;
  let backend: AgentTestBackend;
  let dir: string;

  beforeAll(async () => {
    cp = await startControlPlane({ crds: true });
    backend = await startGitOpsBackendForAgent({
      agents: [AGENT],
      auth: 'static',
      databases,
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-run-'));
  });

  afterAll(async () => {
    await backend?.stop();
    await cp?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(['sources (bin/gitops-agent)', 'container bundle'])(
    'from %s: serves health, readiness and metrics, logs JSON and stops cleanly on SIGTERM',
    async variant => {
      const entry = variant === 'container bundle' ? bundle(dir) : BIN;
      const cluster = new ClusterObjects(cp.kubeConfig);
      await cluster.namespace('argocd');
      if ((await cluster.listApplications('argocd')).length === 0)
        await cluster.createApplication('argocd', 'web');
      const kubeconfig = path.join(dir, 'kubeconfig');
      fs.writeFileSync(kubeconfig, cp.kubeConfig.exportConfig());
      const tokenFile = path.join(dir, 'token');
      fs.writeFileSync(tokenFile, `${AGENT.token}\n`);

      const child = spawn(process.execPath, [entry, 'run'], {
        env: {
          PATH: process.env.PATH,
          KUBECONFIG: kubeconfig,
          GITOPS_BACKEND_URL: backend.url,
          GITOPS_ALLOW_HTTP: 'true',
          GITOPS_AGENT_TOKEN_FILE: tokenFile,
          GITOPS_TOOL: 'argocd',
          GITOPS_HTTP_PORT: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const logs: any[] = [];
      let stderr = '';
      child.stderr.on('data', d => (stderr += d));
      createInterface(child.stdout).on('line', line =>
        logs.push(JSON.parse(line)),
      );
      const exited = new Promise<number | null>(resolve =>
        child.on('exit', code => resolve(code)),
      );
      try {
        const port = await eventually(() => {
          const listening = logs.find(
            l => l.msg === 'operations endpoints listening',
          );
          if (!listening)
            throw new Error(`not listening yet; stderr: ${stderr}`);
          return listening.port as number;
        }, 120_000);
        const get = async (p: string) => {
          const res = await fetch(`http://127.0.0.1:${port}${p}`);
          return { status: res.status, text: await res.text() };
        };
        expect(await get('/healthz')).toEqual({ status: 200, text: 'ok\n' });
        await eventually(async () =>
          expect((await get('/readyz')).status).toBe(200),
        );
        const readiness = JSON.parse((await get('/readyz')).text);
        expect(readiness).toMatchObject({
          ready: true,
          leader: true,
          informers: [
            {
              kind: 'Application',
              namespace: 'argocd',
              state: 'synced',
              objects: 1,
            },
            {
              kind: 'AppProject',
              namespace: 'argocd',
              state: 'synced',
              objects: 0,
            },
          ],
          missingCrds: [],
        });
        await eventually(async () =>
          expect(await backend.resources('proc')).toEqual([
            'argocd/Application/argocd/web=Synced',
          ]),
        );
        // The rows may be the first variant's: wait for this process's own snapshot.
        const metrics = await eventually(async () => {
          const text = (await get('/metrics')).text;
          expect(text).toMatch(
            /gitops_agent_pushes_total\{type="snapshot"\} [1-9]/,
          );
          return text;
        });
        expect(metrics).toMatch(/gitops_agent_buffer_objects 0/);
        expect(metrics).toMatch(
          /gitops_agent_last_successful_push_timestamp_seconds \d/,
        );
        expect(metrics).toMatch(/gitops_agent_process_resident_memory_bytes/);
        expect(logs.find(l => l.msg === 'snapshot sent')).toMatchObject({
          level: 'info',
          objects: 1,
          time: expect.any(String),
        });
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exited).toBe(0);
      expect(logs[logs.length - 1]).toMatchObject({ msg: 'agent stopped' });
    },
  );

  it('without a GitOps tool watches nothing, pushes nothing and stays healthy', async () => {
    const child = spawn(process.execPath, [BIN, 'run'], {
      env: { PATH: process.env.PATH, GITOPS_HTTP_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: any[] = [];
    createInterface(child.stdout).on('line', line =>
      logs.push(JSON.parse(line)),
    );
    const exited = new Promise<number | null>(resolve =>
      child.on('exit', code => resolve(code)),
    );
    try {
      const idle = await eventually(() => {
        const line = logs.find(l => /watching nothing/.test(l.msg));
        if (!line) throw new Error('not listening yet');
        return line;
      }, 120_000);
      expect(idle.level).toBe('warn');
      const base = `http://127.0.0.1:${idle.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, tool: null });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('exits 2 naming every bad setting', async () => {
    const child = spawn(process.execPath, [BIN, 'run'], {
      env: { PATH: process.env.PATH, GITOPS_TOOL: 'jenkins' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', d => (stderr += d));
    const code = await new Promise<number | null>(resolve =>
      child.on('exit', c => resolve(c)),
    );
    expect(code).toBe(2);
    expect(stderr).toContain('GITOPS_BACKEND_URL: required');
    expect(stderr).toContain(
      'GITOPS_AGENT_TOKEN: required (or GITOPS_AGENT_TOKEN_FILE)',
    );
    expect(stderr).toContain(
      "GITOPS_TOOL: must be one of argocd, fluxcd (got 'jenkins')",
    );
  });
});
