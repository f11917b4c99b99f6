/*
 * Item 5, the agent at scale: Applications on the real kube-apiserver of the agent tests,
 * watched by the real agent (its own process, `gitops-agent run`) pushing to the in-process
 * backend. Initial sync time to the portal API, RSS, and status patch -> visible in the API.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ClusterObjects,
  startControlPlane,
  type ControlPlane,
} from '@shoehorn/gitops-test-kit';
import {
  buildAgent,
  startAgentProcess,
  stopAgentProcess,
} from './lib/agentBuild';
import { Engine, startBenchBackend, type BenchBackend } from './lib/backend';
import {
  nowMs,
  parseOptions,
  percentile,
  Report,
  runMain,
  until,
} from './lib/report';

const CLUSTER = 'bench-agent';
const NAMESPACE = 'argocd';

function rssMb(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) =>
    Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function createApplications(cluster: ClusterObjects, count: number) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await cluster.createApplication(
        NAMESPACE,
        `svc-${i}`,
        i % 10 === 7 ? 'OutOfSync' : 'Synced',
      );
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function totalInPortal(backend: BenchBackend): Promise<number> {
  const page = await backend.getJson(
    `/v1/resources?cluster=${CLUSTER}&limit=1`,
  );
  return page.totalCount;
}

function startAgent(
  cp: ControlPlane,
  backend: BenchBackend,
  dir: string,
  script: string,
): ChildProcess {
  const kubeconfig = path.join(dir, 'kubeconfig.yaml');
  fs.writeFileSync(kubeconfig, cp.kubeConfig.exportConfig());
  return startAgentProcess(script, path.join(dir, 'agent.log'), {
    KUBECONFIG: kubeconfig,
    GITOPS_BACKEND_URL: backend.baseUrl,
    GITOPS_ALLOW_HTTP: 'true',
    GITOPS_AGENT_TOKEN: backend.agent(CLUSTER).token,
    GITOPS_TOOL: 'argocd',
    GITOPS_ARGOCD_NAMESPACES: NAMESPACE,
    GITOPS_HTTP_PORT: '0',
    GITOPS_LOG_LEVEL: 'info',
  });
}

async function benchAgent(engine: Engine, report: Report) {
  const short = report.options.short;
  const count = short ? 200 : 10_000;
  const patches = short ? 5 : 50;
  const label = count >= 1000 ? `${count / 1000}k` : String(count);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-bench-agent-'));
  const cp = await startControlPlane({ crds: true });
  let backend: BenchBackend | undefined;
  let child: ChildProcess | undefined;
  try {
    const cluster = new ClusterObjects(cp.kubeConfig);
    await cluster.namespace(NAMESPACE);
    const created = nowMs();
    await createApplications(cluster, count);
    report.log(
      `created ${count} Applications in ${((nowMs() - created) / 1000).toFixed(
        1,
      )} s`,
    );
    backend = await startBenchBackend({ engine, clusters: [CLUSTER] });
    const b = backend;

    const script = await buildAgent();
    const startedAt = nowMs();
    child = startAgent(cp, b, dir, script);
    const exited = new Promise<never>((_, reject) =>
      child!.once('exit', code =>
        reject(
          new Error(`the agent exited with code ${code}; see ${dir}/agent.log`),
        ),
      ),
    );
    exited.catch(() => undefined);
    // Samples while the initial list is processed, then while watching (the steady state).
    const rss: { initial: number[]; steady: number[] } = {
      initial: [],
      steady: [],
    };
    let phase: 'initial' | 'steady' = 'initial';
    const sampler = setInterval(() => {
      try {
        rss[phase].push(rssMb(child!.pid!).rss);
      } catch {
        // the process is gone; the exit is reported by `exited`
      }
    }, 250);

    try {
      await report.attempt(engine, `initial sync of ${label}`, async () => {
        await Promise.race([
          exited,
          until(
            `${count} resources in the portal API`,
            30 * 60_000,
            async () => ((await totalInPortal(b)) === count ? true : undefined),
            200,
          ),
        ]);
        report.add({
          engine,
          name: `initial sync of ${label} Applications (agent start -> all in portal API)`,
          value: (nowMs() - startedAt) / 1000,
          unit: 's',
        });
      });
      phase = 'steady';

      await report.attempt(engine, `status patch -> visible`, async () => {
        const latencies: number[] = [];
        for (let k = 0; k < patches; k++) {
          const name = `svc-${Math.floor(Math.random() * count)}`;
          const found = await b.getJson(
            `/v1/resources?cluster=${CLUSTER}&q=${encodeURIComponent(
              name,
            )}&limit=500`,
          );
          const resource = found.items.find(
            (r: { name: string }) => r.name === name,
          );
          if (!resource) throw new Error(`${name} is not in the portal API`);
          const sync =
            resource.syncStatus === 'Synced' ? 'OutOfSync' : 'Synced';
          const revision = `bench${Date.now().toString(16)}${k}`;
          const patchedAt = nowMs();
          await cluster.setApplicationSync(NAMESPACE, name, sync, revision);
          await Promise.race([
            exited,
            until(`the patch of ${name}`, 120_000, async () => {
              const view = await b.getJson(`/v1/resources/${resource.id}`);
              return view.targetRevision === revision &&
                view.syncStatus === sync
                ? true
                : undefined;
            }),
          ]);
          latencies.push(nowMs() - patchedAt);
          await new Promise(r => setTimeout(r, Math.random() * 200));
        }
        const p95 = percentile(latencies, 95);
        report.add({
          engine,
          name: `status patch -> visible in portal API, p50 of ${patches}`,
          value: percentile(latencies, 50),
          unit: 'ms',
        });
        report.add({
          engine,
          name: `status patch -> visible in portal API, p95`,
          value: p95,
          unit: 'ms',
          goal: '< 3 s',
          met: p95 < 3000,
        });
      });
    } finally {
      clearInterval(sampler);
    }
    await report.attempt(
      engine,
      `agent memory with ${label} watched`,
      async () => {
        const { rss: end, peak } = rssMb(child!.pid!);
        if (rss.steady.length === 0)
          throw new Error('no memory samples while watching');
        const steady = percentile(rss.steady, 95);
        report.add({
          engine,
          name: `agent RSS watching ${label}: p95 of ${rss.steady.length} samples after the initial sync`,
          value: steady,
          unit: 'MB',
          goal: '< 200 MB',
          met: steady < 200,
        });
        report.add({
          engine,
          name: `agent RSS at the end of the run`,
          value: end,
          unit: 'MB',
        });
        report.add({
          engine,
          name: `agent RSS peak (VmHWM, includes the initial list)`,
          value: peak,
          unit: 'MB',
        });
      },
    );
  } finally {
    if (child) await stopAgentProcess(child);
    await backend?.stop();
    await cp.stop();
    if (!report.failures.length)
      fs.rmSync(dir, { recursive: true, force: true });
    else report.log(`agent log kept in ${dir}/agent.log`);
  }
}

export async function benchAgentItem(options = parseOptions()) {
  const report = new Report('agent', options);
  // One engine is enough here: the agent, not the database, is measured. PostgreSQL if asked.
  await benchAgent(
    options.engines.includes('pg') ? 'pg' : options.engines[0],
    report,
  );
  return report.finish();
}

if (require.main === module) runMain(async () => void (await benchAgentItem()));
