/*
 * Runs the real helm binary (HELM_BIN, built by `scripts/build-tools.sh helm`) against the
 * agent chart. A missing binary is an error that says how to get it: the chart suites fail
 * rather than skip, locally and in CI.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

/** Directory of this package (charts/), found through its own package name. */
export const CHARTS_ROOT = path.dirname(
  require.resolve('@shoehorn/gitops-charts/package.json'),
);

/** Directory of the agent chart. */
export const CHART_DIR = path.join(CHARTS_ROOT, 'gitops-agent');

/** Kubernetes version the chart is rendered for (the version of the test control plane). */
export const KUBE_VERSION = '1.35.4';

/** A rendered Kubernetes object, loosely typed. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: any;
}

/** The outcome of one helm command. */
export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

let isolatedHome: string | undefined;

/** Finds helm, or throws saying how to build it. */
export function findHelm(): string {
  const bin = process.env.HELM_BIN;
  if (bin && isExecutable(bin)) return bin;
  throw new Error(
    [
      '',
      '*** The chart tests need a real helm binary. ***',
      `HELM_BIN is ${
        bin ? `"${bin}", which is not an executable file` : 'unset'
      }.`,
      'Build it once (cached outside the repository) and export the path:',
      '  eval "$(bash scripts/build-tools.sh helm)"',
      'then run the tests again.',
      '',
    ].join('\n'),
  );
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Keeps helm's cache, config and data out of the user's home. */
function helmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  if (!isolatedHome) {
    isolatedHome = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-helm-home-'));
  }
  return {
    ...process.env,
    HELM_CACHE_HOME: path.join(isolatedHome, 'cache'),
    HELM_CONFIG_HOME: path.join(isolatedHome, 'config'),
    HELM_DATA_HOME: path.join(isolatedHome, 'data'),
    ...extra,
  };
}

/** Runs helm with the given arguments; never throws on a non-zero exit. */
export async function helm(
  args: string[],
  env: Record<string, string> = {},
): Promise<HelmResult> {
  const bin = findHelm();
  return new Promise(resolve => {
    execFile(
      bin,
      args,
      { env: helmEnv(env), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: exitCode(error), stdout, stderr });
      },
    );
  });
}

/** Values for one render: nested objects, written to a temporary values file. */
export type ChartValues = Record<string, unknown>;

/** Options of {@link helmTemplate}. */
export interface RenderOptions {
  /** Values as an object (written to a file and passed with -f). */
  values?: ChartValues;
  /** Extra values files (paths relative to the chart, e.g. ci/argocd-values.yaml). */
  valuesFiles?: string[];
  /** `--set-string key=value` pairs, the way tokens are passed at install. */
  setString?: Record<string, string>;
  releaseName?: string;
  namespace?: string;
}

/** Builds the common value arguments of template, lint and install. */
export function valueArgs(options: RenderOptions, tmpDir: string): string[] {
  const args: string[] = [];
  for (const file of options.valuesFiles ?? []) {
    args.push('-f', path.resolve(CHART_DIR, file));
  }
  if (options.values) {
    const file = path.join(
      tmpDir,
      `values-${Math.random().toString(36).slice(2)}.yaml`,
    );
    fs.writeFileSync(file, stringify(options.values));
    args.push('-f', file);
  }
  for (const [key, value] of Object.entries(options.setString ?? {})) {
    args.push('--set-string', `${key}=${value}`);
  }
  return args;
}

/** A scratch directory for values files, removed at exit. */
export function scratchDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-chart-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const renderScratch = { dir: '' };

/** `helm template`: the raw result, for tests of failures. */
export async function helmTemplate(
  options: RenderOptions = {},
): Promise<HelmResult> {
  if (!renderScratch.dir) renderScratch.dir = scratchDir();
  return helm([
    'template',
    options.releaseName ?? 'gitops',
    CHART_DIR,
    '--namespace',
    options.namespace ?? 'gitops-system',
    '--kube-version',
    KUBE_VERSION,
    ...valueArgs(options, renderScratch.dir),
  ]);
}

/** `helm template`, parsed into objects; throws with helm's message when rendering fails. */
export async function renderChart(
  options: RenderOptions = {},
): Promise<K8sObject[]> {
  const result = await helmTemplate(options);
  if (result.code !== 0) {
    throw new Error(`helm template failed (${result.code}):\n${result.stderr}`);
  }
  return parseManifests(result.stdout);
}

/** Parses a multi-document manifest stream, dropping empty documents. */
export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map(doc => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => !!o && typeof o === 'object' && !!o.kind);
}

/** The exit code of a finished child process (1 when it did not exit normally). */
export function exitCode(error: { code?: unknown } | null): number {
  if (!error) return 0;
  return typeof error.code === 'number' ? error.code : 1;
}
