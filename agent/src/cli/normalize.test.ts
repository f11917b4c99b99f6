import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gitOpsResourceSchema } from '@shoehorn/plugin-gitops-common';

const AGENT_DIR = resolve(__dirname, '../..');
const REPO_ROOT = resolve(AGENT_DIR, '..');
const BIN = join(AGENT_DIR, 'bin', 'gitops-agent');
const FIXTURES = join(__dirname, '__fixtures__');

// Spawning Node with the TypeScript transform is slow on a busy machine.
jest.setTimeout(120_000);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; stdin?: string },
): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    child.on('error', fail);
    child.on('close', code => done({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** The CLI as `yarn workspace … run` starts it: cwd is agent/, INIT_CWD the user's directory. */
function cli(args: string[], userDir: string, stdin?: string): Promise<Run> {
  return run(process.execPath, [BIN, ...args], {
    cwd: AGENT_DIR,
    env: { ...process.env, INIT_CWD: userDir },
    stdin,
  });
}

function warnings(stderr: string): string[] {
  return stderr.split('\n').filter(line => line !== '');
}

describe('gitops-agent normalize', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gitops-normalize-'));
    for (const name of [
      'argocd-applications.yaml',
      'flux-sources.yaml',
      'flux-workloads.yaml',
      'kustomization-list.json',
      'broken.yaml',
    ]) {
      await copyFile(join(FIXTURES, name), join(dir, name));
    }
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints one JSON array of records in input order, resolving sources across files', async () => {
    const result = await cli(
      [
        'normalize',
        'argocd-applications.yaml',
        'flux-workloads.yaml',
        'kustomization-list.json',
        'flux-sources.yaml',
      ],
      dir,
    );
    expect(result.code).toBe(0);
    const records = JSON.parse(result.stdout);
    expect(Array.isArray(records)).toBe(true);
    for (const record of records) {
      expect(gitOpsResourceSchema.parse(record)).toEqual(record);
    }
    expect(
      records.map((r: any) => `${r.kind} ${r.namespace}/${r.name}`),
    ).toEqual([
      'Application argocd/checkout-api',
      'Application team-web/podinfo',
      'Kustomization flux-system/apps',
      'HelmRelease podinfo/podinfo',
      'Kustomization flux-system/infra',
      'GitRepository flux-system/fleet-infra',
      'HelmRepository flux-system/podinfo',
    ]);

    expect(records[1]).toEqual({
      tool: 'argocd',
      kind: 'Application',
      namespace: 'team-web',
      name: 'podinfo',
      uid: 'c2d6a1f0-7b44-4f1e-9a51-2e0d7c3b9a11',
      syncStatus: 'OutOfSync',
      healthStatus: 'Missing',
      source: {
        url: 'https://stefanprodan.github.io/podinfo',
        path: null,
        chart: 'podinfo',
      },
      revision: null,
      targetRevision: '6.5.4',
      autoSync: false,
      suspended: false,
      lastSyncedAt: null,
      drift: { detected: true, reason: 'OutOfSync with 6.5.4 (never synced)' },
      entityAnnotation: null,
      message:
        'Failed to load target state: failed to generate manifest for source 2 of 2: rpc error: code = Unknown desc = <img src=x onerror=alert(1)> not found',
      readiness: {
        waitsOn: [],
        syncProblem: {
          reason: 'syncError',
          message:
            'Failed to load target state: failed to generate manifest for source 2 of 2: rpc error: code = Unknown desc = <img src=x onerror=alert(1)> not found',
        },
      },
    });
    expect(records[2]).toEqual({
      tool: 'fluxcd',
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'apps',
      uid: 'e1d2c3b4-a596-4877-8c6d-5e4f3a2b1c0d',
      syncStatus: 'OutOfSync',
      healthStatus: 'Degraded',
      // The GitRepository is in a later file.
      source: {
        url: 'ssh://git@github.com/acme/fleet-infra',
        path: './clusters/production/apps',
        chart: null,
      },
      revision: 'main@sha1:1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
      targetRevision: 'main@sha1:7e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b',
      autoSync: true,
      suspended: false,
      lastSyncedAt: null,
      drift: {
        detected: true,
        reason:
          'Stuck reconciliation: last applied main@sha1:1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d, last attempted main@sha1:7e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b',
      },
      entityAnnotation: null,
      message:
        'Deployment/apps/podinfo dry-run failed: spec.replicas: Invalid value: -1',
      readiness: {
        waitsOn: [
          {
            role: 'source',
            kind: 'GitRepository',
            namespace: 'flux-system',
            name: 'fleet-infra',
          },
        ],
        syncProblem: null,
      },
    });
    expect(records[3]).toMatchObject({
      syncStatus: 'Synced',
      healthStatus: 'Suspended',
      autoSync: false,
      suspended: true,
      revision: '6.5.4',
      lastSyncedAt: '2024-04-15T14:30:00Z',
      // The HelmRepository is in a later file.
      source: {
        url: 'https://stefanprodan.github.io/podinfo',
        path: null,
        chart: 'podinfo',
      },
    });
    expect(records[4]).toMatchObject({
      syncStatus: 'Unknown',
      healthStatus: 'Suspended',
      source: {
        url: 'ssh://git@github.com/acme/fleet-infra',
        path: './infrastructure',
      },
    });

    expect(warnings(result.stderr)).toEqual([
      'gitops-agent normalize: skipped kustomize.toolkit.fluxcd.io/v1beta1 Kustomization flux-system/legacy (flux-workloads.yaml:75): unsupported apiVersion "kustomize.toolkit.fluxcd.io/v1beta1" for Kustomization (supported: kustomize.toolkit.fluxcd.io/v1, kustomize.toolkit.fluxcd.io/v1beta2)',
      'gitops-agent normalize: skipped v1 Namespace podinfo (flux-workloads.yaml:89): not a watched GitOps kind',
    ]);
  });

  it('leaves a sourceRef unresolved when its GitRepository is in no given file', async () => {
    const result = await cli(['normalize', 'flux-workloads.yaml'], dir);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)[0].source.url).toBeNull();
  });

  it('gives an Application the sync windows of its AppProject from stdin, and says why the project is no record', async () => {
    const result = await cli(
      ['normalize', '-'],
      dir,
      [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: AppProject',
        'metadata: {name: payments, namespace: argocd}',
        'spec:',
        '  syncWindows:',
        "    - {kind: deny, schedule: '0 22 * * *', duration: 1h, applications: ['check*']}",
        "    - {kind: allow, schedule: '0 9 * * *', duration: 8h, applications: [web]}",
        '---',
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Application',
        'metadata: {name: checkout, namespace: argocd}',
        'spec:',
        '  project: payments',
        '  source: {repoURL: https://git.example.com/checkout.git, path: deploy}',
        '  destination: {server: https://kubernetes.default.svc, namespace: checkout}',
        '',
      ].join('\n'),
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)[0].readiness.syncWindows).toEqual([
      {
        kind: 'deny',
        schedule: '0 22 * * *',
        duration: '1h',
        timeZone: 'UTC',
        manualSync: false,
      },
    ]);
    expect(warnings(result.stderr)).toEqual([
      'gitops-agent normalize: skipped argoproj.io/v1alpha1 AppProject argocd/payments (-:1): an AppProject is read for the sync windows of its Applications, not a record of its own',
    ]);
  });

  it('prints an empty array when nothing is recognised, and reads stdin', async () => {
    const result = await cli(
      ['normalize', '-'],
      dir,
      'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(warnings(result.stderr)).toEqual([
      'gitops-agent normalize: skipped v1 Service shop/web (-:1): not a watched GitOps kind',
    ]);
  });

  it('exits 1 naming the file and line of bad YAML, printing nothing on stdout', async () => {
    const result = await cli(
      ['normalize', 'flux-sources.yaml', 'broken.yaml'],
      dir,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(warnings(result.stderr)).toEqual([
      expect.stringMatching(
        /^gitops-agent normalize: broken\.yaml:8: invalid YAML: /,
      ),
    ]);
  });

  it('exits 1 naming a missing file, and bad JSON', async () => {
    const missing = await cli(['normalize', 'nope.yaml'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe(
      'gitops-agent normalize: nope.yaml: cannot read: no such file\n',
    );

    await writeFile(
      join(dir, 'bad.json'),
      '{\n  "kind": "Application",\n  "metadata": {\n}}}\n',
    );
    const badJson = await cli(['normalize', 'bad.json'], dir);
    expect(badJson.code).toBe(1);
    expect(badJson.stdout).toBe('');
    expect(badJson.stderr).toMatch(
      /^gitops-agent normalize: bad\.json:4: invalid JSON: /,
    );
  });

  it('exits 2 on usage errors', async () => {
    const none = await cli(['normalize'], dir);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(
      /^gitops-agent normalize: no input files\nUsage: gitops-agent normalize FILE/,
    );

    const unknown = await cli(['frobnicate'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^gitops-agent: unknown command frobnicate\nCommands: .*normalize/,
    );
  });

  it('runs as `yarn gitops-agent normalize` from the repository root with a clean stdout', async () => {
    const yarn = join(REPO_ROOT, '.yarn', 'releases', 'yarn-4.13.0.cjs');
    const relative = join(
      'agent',
      'src',
      'cli',
      '__fixtures__',
      'flux-sources.yaml',
    );
    const env = { ...process.env };
    delete env.INIT_CWD;
    const result = await run(
      process.execPath,
      [yarn, 'gitops-agent', 'normalize', relative],
      {
        cwd: REPO_ROOT,
        env,
      },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).map((r: any) => r.name)).toEqual([
      'fleet-infra',
      'podinfo',
    ]);
    expect(result.stdout.startsWith('[')).toBe(true);
  });
});
