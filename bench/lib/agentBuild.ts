/* The real agent (`gitops-agent run`) compiled once and started in processes of its own. */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * Compiles the agent like its package build does (its sources and the common package in one
 * file, dependencies from node_modules), so it runs without a TypeScript transformer loaded.
 */
export async function buildAgent(): Promise<string> {
  const outfile = path.resolve(
    __dirname,
    '../results/.agent-build/gitops-agent.cjs',
  );
  await build({
    entryPoints: [path.join(__dirname, 'agentProcess.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    logLevel: 'error',
    plugins: [
      {
        name: 'external-dependencies',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, args =>
            args.path.startsWith('@shoehorn/')
              ? undefined
              : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  return outfile;
}

/** Starts the compiled agent with `env` (GITOPS_* keys) beside the current environment. */
export function startAgentProcess(
  script: string,
  logFile: string,
  env: Record<string, string>,
): ChildProcess {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  return child;
}

/** SIGTERM, then SIGKILL after 10 s; resolves when the process is gone. */
export async function stopAgentProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise(r => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([gone, new Promise(r => setTimeout(r, 10_000))]);
  if (child.exitCode === null && child.signalCode === null)
    child.kill('SIGKILL');
}
