/*
 * Side by side with `@backstage/plugin-kubernetes-backend`: the entity page's GitOps data
 * read live from every cluster on each request (theirs) against our store fed by the agent
 * (ours). One real kube-apiserver with Argo Applications and Flux Kustomizations, served to
 * their plugin under 1 and 10 cluster names (each with a ServiceAccount token) and watched by
 * our agent (one process per cluster and tool) pushing to the gitops backend on PostgreSQL.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CustomObjectsApi,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import type { Entity } from '@backstage/catalog-model';
import { CLUSTER_STALE_AFTER_MS } from '@shoehorn/plugin-gitops-common';
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
import { apiServerRequests } from './lib/apiServerMetrics';
import { startBenchBackend, type BenchBackend } from './lib/backend';
import { closedPort, LatencyProxy } from './lib/latencyProxy';
import {
  nowMs,
  parseOptions,
  percentile,
  Report,
  runMain,
  until,
} from './lib/report';

const COMPONENT = 'checkout';
const ENTITY_REF = `component:default/${COMPONENT}`;
const ARGO_NAMESPACE = 'argocd';
const FLUX_NAMESPACE = 'flux-system';
const RBAC_NAMESPACE = 'backstage';
/** The round trip the realistic case adds between the portal and every cluster. */
const RTT_MS = 20;
const WATCHED = ['applications', 'kustomizations'];
const CUSTOM_RESOURCES = [
  { group: 'argoproj.io', apiVersion: 'v1alpha1', plural: 'applications' },
  {
    group: 'kustomize.toolkit.fluxcd.io',
    apiVersion: 'v1',
    plural: 'kustomizations',
  },
];

interface Sizes {
  applications: number;
  kustomizations: number;
  /** Of those, the ones that belong to the Component (Applications first, then Kustomizations). */
  linkedApplications: number;
  linkedKustomizations: number;
  clusters: number;
  requests: number;
  /** Page views whose API-server requests are counted, per side. */
  countedViews: number;
}

const FULL: Sizes = {
  applications: 1000,
  kustomizations: 300,
  linkedApplications: 14,
  linkedKustomizations: 6,
  clusters: 10,
  requests: 200,
  countedViews: 20,
};
const SHORT: Sizes = {
  ...FULL,
  applications: 100,
  kustomizations: 30,
  clusters: 3,
  requests: 20,
  countedViews: 5,
};

const linkedPerCluster = (s: Sizes) =>
  s.linkedApplications + s.linkedKustomizations;

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: COMPONENT,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': COMPONENT },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

/** Labels and annotation of an object that belongs to the Component. */
function ownership(linked: boolean) {
  return linked
    ? {
        labels: { 'backstage.io/kubernetes-id': COMPONENT },
        annotations: { 'shoehorn.dev/entity': COMPONENT },
      }
    : {};
}

async function inParallel(count: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function seedCluster(cp: ControlPlane, sizes: Sizes) {
  const objects = new ClusterObjects(cp.kubeConfig);
  const custom = cp.kubeConfig.makeApiClient(CustomObjectsApi);
  await objects.namespace(ARGO_NAMESPACE);
  await objects.namespace(FLUX_NAMESPACE);
  await inParallel(sizes.applications, async i => {
    const name =
      i < sizes.linkedApplications ? `${COMPONENT}-${i}` : `app-${i}`;
    const sync = i % 10 === 7 ? 'OutOfSync' : 'Synced';
    await custom.createNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      plural: 'applications',
      namespace: ARGO_NAMESPACE,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: {
          name,
          namespace: ARGO_NAMESPACE,
          ...ownership(i < sizes.linkedApplications),
        },
        spec: {
          project: 'default',
          source: {
            repoURL: `https://git.example.com/${name}.git`,
            path: 'deploy',
            targetRevision: 'main',
          },
          destination: {
            server: 'https://kubernetes.default.svc',
            namespace: name,
          },
        },
        status: {
          sync: { status: sync, revision: `${(i * 7919).toString(16)}` },
          health: { status: sync === 'Synced' ? 'Healthy' : 'Progressing' },
        },
      },
    });
  });
  await inParallel(sizes.kustomizations, async i => {
    const linked = i < sizes.linkedKustomizations;
    const name = linked ? `${COMPONENT}-ks-${i}` : `ks-${i}`;
    await custom.createNamespacedCustomObject({
      group: 'kustomize.toolkit.fluxcd.io',
      version: 'v1',
      plural: 'kustomizations',
      namespace: FLUX_NAMESPACE,
      body: {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name, namespace: FLUX_NAMESPACE, ...ownership(linked) },
        spec: {
          path: `./apps/${name}`,
          interval: '5m',
          prune: true,
          sourceRef: { kind: 'GitRepository', name: 'fleet' },
        },
      },
    });
    const revision = `main@sha1:${(i * 104729).toString(16).padStart(40, '0')}`;
    await objects.setKustomizationStatus(FLUX_NAMESPACE, name, {
      lastAppliedRevision: revision,
      lastAttemptedRevision: revision,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'ReconciliationSucceeded',
          message: `Applied revision: ${revision}`,
          lastTransitionTime: new Date().toISOString(),
        },
      ],
    });
  });
}

/** One ServiceAccount token per cluster name, allowed to read the two kinds cluster-wide. */
async function readerTokens(cp: ControlPlane, count: number) {
  const rbac = cp.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
  await rbac.createClusterRole({
    body: {
      metadata: { name: 'backstage-kubernetes-reader' },
      rules: [
        {
          apiGroups: ['argoproj.io'],
          resources: ['applications'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['kustomize.toolkit.fluxcd.io'],
          resources: ['kustomizations'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    },
  });
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    tokens.push(await cp.tokenFor(RBAC_NAMESPACE, `reader-${i}`));
  }
  await rbac.createClusterRoleBinding({
    body: {
      metadata: { name: 'backstage-kubernetes-reader' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'backstage-kubernetes-reader',
      },
      subjects: tokens.map((_, i) => ({
        kind: 'ServiceAccount',
        name: `reader-${i}`,
        namespace: RBAC_NAMESPACE,
      })),
    },
  });
  return tokens;
}

interface TheirCluster {
  name: string;
  url: string;
  token: string;
}

/** A backend with the Kubernetes plugin only, configured with these clusters. */
function startTheirs(cp: ControlPlane, clusters: TheirCluster[]) {
  return startBenchBackend({
    engine: 'sqlite',
    clusters: [],
    entities: [component],
    withoutGitops: true,
    extraFeatures: [import('@backstage/plugin-kubernetes-backend')],
    extraConfig: {
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: clusters.map(c => ({
              name: c.name,
              url: c.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: c.token,
              caData: cp.caData,
              skipMetricsLookup: true,
            })),
          },
        ],
        customResources: CUSTOM_RESOURCES,
      },
    },
  });
}

interface PageView {
  ms: number;
  objects: number;
  clusterErrors: number;
  staleObjects: number;
}

/** The custom-resources query the Kubernetes plugin's frontend issues for an entity page. */
async function theirPage(b: BenchBackend): Promise<PageView> {
  const started = nowMs();
  const res = await fetch(
    `${b.baseUrl}/api/kubernetes/resources/custom/query`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${b.userToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        entityRef: ENTITY_REF,
        customResources: CUSTOM_RESOURCES,
      }),
    },
  );
  const text = await res.text();
  const ms = nowMs() - started;
  if (res.status !== 200)
    throw new Error(`kubernetes custom query: HTTP ${res.status}: ${text}`);
  const body = JSON.parse(text) as {
    items: Array<{
      errors: unknown[];
      resources: Array<{ resources: unknown[] }>;
    }>;
  };
  return {
    ms,
    objects: body.items
      .flatMap(c => c.resources)
      .reduce((n, r) => n + r.resources.length, 0),
    clusterErrors: body.items.filter(c => c.errors.length > 0).length,
    staleObjects: 0,
  };
}

async function ourPage(b: BenchBackend): Promise<PageView> {
  const started = nowMs();
  const body = await b.getJson<{ items: Array<{ clusterState: string }> }>(
    `/v1/entities/component/default/${COMPONENT}/resources`,
  );
  return {
    ms: nowMs() - started,
    objects: body.items.length,
    clusterErrors: 0,
    staleObjects: body.items.filter(i => i.clusterState !== 'connected').length,
  };
}

interface Side {
  label: 'kubernetes-backend' | 'gitops';
  page: () => Promise<PageView>;
  /** Objects each view must return: the check that both read the same thing. */
  expected: number;
}

/** Page views of both sides, interleaved so that the machine's load affects both alike. */
async function measure(sides: Side[], requests: number) {
  const samples = sides.map(() => [] as PageView[]);
  for (let i = 0; i < 5; i++) for (const side of sides) await side.page();
  for (let i = 0; i < requests; i++) {
    for (const [k, side] of sides.entries()) {
      const view = await side.page();
      if (view.objects !== side.expected)
        throw new Error(
          `${side.label}: ${view.objects} objects in a page view, expected ${side.expected}`,
        );
      samples[k].push(view);
    }
  }
  return samples.map(views => ({
    p50: percentile(
      views.map(v => v.ms),
      50,
    ),
    p95: percentile(
      views.map(v => v.ms),
      95,
    ),
    clusterErrors: views[0].clusterErrors,
    staleObjects: views[0].staleObjects,
  }));
}

/** API-server requests for the two kinds per page view, over `views` views of one side. */
async function requestsPerView(cp: ControlPlane, side: Side, views: number) {
  const before = await apiServerRequests(cp, WATCHED);
  for (let i = 0; i < views; i++) await side.page();
  return ((await apiServerRequests(cp, WATCHED)) - before) / views;
}

/** A clock that can be moved forward, to age a silent cluster past the stale threshold. */
function movableClock() {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance: (ms: number) => {
      offset += ms;
    },
  };
}

/** Each case retried once: it spans two backends, agents and a control plane on a noisy machine. */
const RETRY = { retries: 1 };

async function benchPeers(report: Report) {
  const sizes = report.options.short ? SHORT : FULL;
  // Our side on PostgreSQL unless only SQLite was asked for.
  const engine = report.options.engines.includes('pg')
    ? 'pg'
    : report.options.engines[0];
  const perCluster = linkedPerCluster(sizes);
  const clusterNames = Array.from(
    { length: sizes.clusters },
    (_, i) => `cluster-${i}`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-bench-peers-'));
  const cp = await startControlPlane({ crds: true });
  const clock = movableClock();
  const agents = new Map<string, ChildProcess[]>();
  let ours: BenchBackend | undefined;
  let theirs: BenchBackend | undefined;
  let proxy: LatencyProxy | undefined;
  try {
    const seeded = nowMs();
    await seedCluster(cp, sizes);
    const tokens = await readerTokens(cp, sizes.clusters);
    report.log(
      `created ${sizes.applications} Applications and ${
        sizes.kustomizations
      } Kustomizations (${perCluster} of ${COMPONENT}) in ${(
        (nowMs() - seeded) /
        1000
      ).toFixed(1)} s`,
    );

    ours = await startBenchBackend({
      engine,
      clusters: clusterNames,
      entities: [component],
      clock,
    });
    const o = ours;
    const script = await buildAgent();
    const kubeconfig = path.join(dir, 'kubeconfig.yaml');
    fs.writeFileSync(kubeconfig, cp.kubeConfig.exportConfig());
    const total = sizes.applications + sizes.kustomizations;

    /** Starts the two agents (ArgoCD, Flux) of these clusters and waits for all their objects. */
    const connect = async (names: string[]) => {
      for (const name of names) {
        // A retried case connects again: keep the agents that already run.
        if (agents.has(name)) continue;
        const common = {
          KUBECONFIG: kubeconfig,
          GITOPS_BACKEND_URL: o.baseUrl,
          GITOPS_ALLOW_HTTP: 'true',
          GITOPS_AGENT_TOKEN: o.agent(name).token,
          GITOPS_CLUSTER: name,
          GITOPS_COMMANDS: 'false',
          GITOPS_HTTP_PORT: '0',
          GITOPS_LOG_LEVEL: 'warn',
        };
        const log = path.join(dir, `agent-${name}.log`);
        agents.set(name, [
          startAgentProcess(script, log, {
            ...common,
            GITOPS_TOOL: 'argocd',
            GITOPS_ARGOCD_NAMESPACES: ARGO_NAMESPACE,
          }),
          startAgentProcess(script, log, {
            ...common,
            GITOPS_TOOL: 'fluxcd',
            GITOPS_FLUX_NAMESPACES: FLUX_NAMESPACE,
          }),
        ]);
      }
      for (const name of names) {
        await until(
          `${total} objects of ${name} in the store`,
          300_000,
          async () => {
            const page = await o.getJson(
              `/v1/resources?cluster=${name}&limit=1`,
            );
            return page.totalCount === total ? true : undefined;
          },
          250,
        );
      }
    };

    const ourSide = (clusters: number): Side => ({
      label: 'gitops',
      page: () => ourPage(o),
      expected: perCluster * clusters,
    });
    const theirSide = (b: BenchBackend, reachable: number): Side => ({
      label: 'kubernetes-backend',
      page: () => theirPage(b),
      expected: perCluster * reachable,
    });
    const direct = (i: number): TheirCluster => ({
      name: clusterNames[i],
      url: cp.server,
      token: tokens[i],
    });
    const apiPort = Number(new URL(cp.server).port);

    /** One case: their backend with these clusters against our store, both measured. */
    const compare = async (
      caseName: string,
      clusters: TheirCluster[],
      options: { ourClusters: number; reachable: number; count?: boolean },
    ) => {
      await theirs?.stop();
      theirs = undefined;
      theirs = await startTheirs(cp, clusters);
      const them = theirSide(theirs, options.reachable);
      const us = ourSide(options.ourClusters);
      const [their, our] = await measure([them, us], sizes.requests);
      const add = (side: string, which: 'p50' | 'p95', value: number) =>
        report.add({
          engine,
          name: `peers: ${side} entity page ${which} ${caseName}`,
          value,
          unit: 'ms',
        });
      add('kubernetes-backend', 'p50', their.p50);
      add('kubernetes-backend', 'p95', their.p95);
      add('gitops', 'p50', our.p50);
      add('gitops', 'p95', our.p95);
      if (options.count) {
        const theirRequests = await requestsPerView(
          cp,
          them,
          sizes.countedViews,
        );
        const ourRequests = await requestsPerView(cp, us, sizes.countedViews);
        report.add({
          engine,
          name: `peers: kubernetes-backend API-server requests per page view ${caseName}`,
          value: theirRequests,
          unit: 'count',
        });
        report.add({
          engine,
          name: `peers: gitops API-server requests per page view ${caseName}`,
          value: ourRequests,
          unit: 'count',
          goal: '0',
          met: ourRequests === 0,
        });
      }
      return { their, our };
    };

    const speedup = (
      name: string,
      result: { their: { p95: number }; our: { p95: number } },
      goal: boolean,
    ) => {
      const value = result.their.p95 / result.our.p95;
      report.add({
        engine,
        name,
        value,
        unit: 'x',
        ...(goal ? { goal: '>= 10x', met: value >= 10 } : {}),
      });
    };

    const many = `${sizes.clusters} clusters`;
    const all = clusterNames.map((_, i) => i);

    await report.attempt(
      engine,
      'loopback, 1 cluster',
      async () => {
        await connect([clusterNames[0]]);
        const result = await compare('at 1 cluster', [direct(0)], {
          ourClusters: 1,
          reachable: 1,
          count: true,
        });
        speedup(
          'peers: speedup vs kubernetes-backend at 1 cluster',
          result,
          false,
        );
      },
      RETRY,
    );

    proxy = new LatencyProxy({ host: '127.0.0.1', port: apiPort }, RTT_MS);
    const proxied = `https://127.0.0.1:${await proxy.start()}`;
    const viaProxy = (i: number): TheirCluster => ({
      ...direct(i),
      url: proxied,
    });
    const rtt = `${RTT_MS} ms RTT to clusters`;

    await report.attempt(
      engine,
      `${rtt}, 1 cluster`,
      async () => {
        const result = await compare(`at 1 cluster, ${rtt}`, [viaProxy(0)], {
          ourClusters: 1,
          reachable: 1,
        });
        speedup(
          `peers: speedup vs kubernetes-backend at 1 cluster, ${rtt}`,
          result,
          false,
        );
      },
      RETRY,
    );

    await report.attempt(
      engine,
      `loopback, ${many}`,
      async () => {
        await connect(clusterNames.slice(1));
        const result = await compare(`at ${many}`, all.map(direct), {
          ourClusters: sizes.clusters,
          reachable: sizes.clusters,
          count: true,
        });
        speedup(
          `peers: speedup vs kubernetes-backend at ${many}`,
          result,
          true,
        );
      },
      RETRY,
    );

    await report.attempt(
      engine,
      `${rtt}, ${many}`,
      async () => {
        const result = await compare(`at ${many}, ${rtt}`, all.map(viaProxy), {
          ourClusters: sizes.clusters,
          reachable: sizes.clusters,
        });
        speedup(
          `peers: speedup vs kubernetes-backend at ${many}, ${rtt}`,
          result,
          true,
        );
      },
      RETRY,
    );

    await report.attempt(
      engine,
      `1 of ${many} unreachable`,
      async () => {
        // Theirs: the last cluster name points at a closed port. Ours: its agents are gone and
        // the clock moves past the stale threshold; the other agents' heartbeats renew theirs.
        const down = clusterNames[sizes.clusters - 1];
        for (const child of agents.get(down) ?? [])
          await stopAgentProcess(child);
        clock.advance(CLUSTER_STALE_AFTER_MS + 60_000);
        await until(
          'only the silent cluster stale',
          120_000,
          async () => {
            const view = await ourPage(o);
            return view.staleObjects === perCluster ? true : undefined;
          },
          500,
        );
        const unreachable = `https://127.0.0.1:${await closedPort()}`;
        const clusters = all.map(i =>
          i === sizes.clusters - 1
            ? { ...direct(i), url: unreachable }
            : direct(i),
        );
        const caseName = `at ${many}, 1 unreachable`;
        const { their, our } = await compare(caseName, clusters, {
          ourClusters: sizes.clusters,
          reachable: sizes.clusters - 1,
        });
        report.add({
          engine,
          name: `peers: kubernetes-backend clusters reported in error per page view ${caseName}`,
          value: their.clusterErrors,
          unit: 'count',
        });
        report.add({
          engine,
          name: `peers: gitops resources shown stale (still listed) per page view ${caseName}`,
          value: our.staleObjects,
          unit: 'count',
        });
        speedup(
          `peers: speedup vs kubernetes-backend ${caseName}`,
          { their, our },
          false,
        );
      },
      RETRY,
    );
  } finally {
    // Teardown errors are logged, never thrown: they must not hide the figures measured.
    const quietly = async (
      what: string,
      stop: () => Promise<void> | undefined,
    ) => {
      try {
        await stop();
      } catch (error) {
        report.log(`stopping ${what}: ${error}`);
      }
    };
    await quietly('their backend', () => theirs?.stop());
    for (const children of agents.values())
      for (const child of children) await stopAgentProcess(child);
    await quietly('our backend', () => ours?.stop());
    await quietly('the latency proxy', () => proxy?.stop());
    await quietly('the control plane', () => cp.stop());
    if (!report.failures.length)
      fs.rmSync(dir, { recursive: true, force: true });
    else report.log(`agent logs kept in ${dir}`);
  }
}

export async function benchPeersItem(options = parseOptions()) {
  const report = new Report('peers', options);
  await benchPeers(report);
  return report.finish();
}

if (require.main === module) runMain(async () => void (await benchPeersItem()));
