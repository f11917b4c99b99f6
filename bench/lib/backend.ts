/*
 * The real backend in-process: backend-defaults services (HTTP server, auth with static
 * external-access tokens, database, memory cache, scheduler), the auth backend with guest
 * sign-in for a real user token, the permission backend with the demo allow-all policy, and the
 * gitops plugin. Only the catalog is an in-memory list, so that catalog ingestion does not
 * compete for the CPU with what is measured.
 */
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createBackend } from '@backstage/backend-defaults';
import {
  BackendFeature,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import knexFactory, { Knex } from 'knex';
import type { PushRequest } from '@shoehorn/plugin-gitops-common';
import {
  gitopsClockServiceRef,
  type GitOpsClock,
} from '@shoehorn/plugin-gitops-backend';
import { portalPermissionPolicyModule } from '../../packages/backend/src/permissionPolicy';

export type Engine = 'sqlite' | 'pg';

export const PG_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

export interface BenchAgent {
  subject: string;
  cluster: string;
  token: string;
}

export interface BenchBackend {
  engine: Engine;
  baseUrl: string;
  /** Names this run's databases; replicas share it. */
  runId: string;
  /** The gitops plugin's own database client (same pool the plugin uses); unset without it. */
  knex: Knex;
  userToken: string;
  agents: BenchAgent[];
  agent(cluster: string): BenchAgent;
  push(agent: BenchAgent, body: PushRequest): Promise<{ applied: number }>;
  getJson<T = any>(pathAndQuery: string): Promise<T>;
  postJson<T = any>(
    pathAndQuery: string,
    body: unknown,
  ): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Fails loudly when PostgreSQL is not configured: a benchmark never silently drops an engine. */
export function pgConnectionString(): string {
  const value = process.env[PG_ENV];
  if (!value) {
    throw new Error(
      `${PG_ENV} is not set: the PostgreSQL benchmarks need it, e.g.\n` +
        `  export ${PG_ENV}=postgresql://postgres:postgres@127.0.0.1:5432\n` +
        `(or run with --engines=sqlite)`,
    );
  }
  return value;
}

/** Components named like every tenth resource, so that automatic linking does real work. */
export function catalogEntities(count: number): Entity[] {
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: `svc-${i * 10}`, namespace: 'default' },
    spec: {},
  }));
}

export async function startBenchBackend(options: {
  engine: Engine;
  clusters: string[];
  entities?: Entity[];
  gitopsConfig?: JsonObject;
  /** Top-level configuration of other plugins, e.g. `kubernetes`. */
  extraConfig?: JsonObject;
  /** Other plugins installed beside the gitops plugin. */
  extraFeatures?: Array<Promise<{ default: BackendFeature }>>;
  /** Leave the gitops plugin out (a backend that measures only the other plugins). */
  withoutGitops?: boolean;
  /** The gitops plugin's clock, to move cluster freshness forward without waiting. */
  clock?: GitOpsClock;
  /** Another replica: the same databases and agent tokens (it drops the databases). */
  replicaOf?: Pick<BenchBackend, 'runId' | 'agents'>;
  /** `backend.cache`, e.g. a Redis store shared by replicas (default: memory). */
  cache?: JsonObject;
  /** Service factories and modules added as they are (e.g. a signals counter). */
  features?: BackendFeature[];
}): Promise<BenchBackend> {
  process.env.LOG_LEVEL ??= 'warn';
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const runId =
    options.replicaOf?.runId ??
    `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const agents: BenchAgent[] =
    options.replicaOf?.agents ??
    options.clusters.map(cluster => ({
      subject: `gitops-agent-${cluster}`,
      cluster,
      token: `bench-${cluster}-${randomBytes(16).toString('hex')}`,
    }));

  let sqliteDir: string | undefined;
  let database: JsonObject;
  if (options.engine === 'sqlite') {
    sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-bench-sqlite-'));
    database = {
      client: 'better-sqlite3',
      connection: { directory: sqliteDir },
    };
  } else {
    // A fresh set of databases per run: every plugin database gets this prefix.
    database = {
      client: 'pg',
      connection: pgConnectionString(),
      prefix: `bench_${runId}_`,
    };
  }

  const config = new ConfigReader({
    app: { baseUrl: 'http://127.0.0.1:3999' },
    backend: {
      baseUrl,
      listen: { port, host: '127.0.0.1' },
      database,
      ...(options.cache ? { cache: options.cache } : {}),
      auth: {
        externalAccess: agents.map(a => ({
          type: 'static',
          options: { token: a.token, subject: a.subject },
          accessRestrictions: [{ plugin: 'gitops' }],
        })),
      },
    },
    auth: {
      environment: 'development',
      providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
    },
    permission: { enabled: true },
    demo: { allowAllPermissions: true },
    gitops: {
      agents: agents.map(a => ({
        subject: a.subject,
        tenant: 'default',
        cluster: a.cluster,
      })),
      ...options.gitopsConfig,
    },
    ...options.extraConfig,
  });

  let gitopsKnex: Knex | undefined;
  const captureDatabase = createBackendModule({
    pluginId: 'gitops',
    moduleId: 'bench-database',
    register(env) {
      env.registerInit({
        deps: { database: coreServices.database },
        async init({ database: db }) {
          gitopsKnex = await db.getClient();
        },
      });
    },
  });

  const entities = options.entities ?? [];
  const backend = createBackend();
  backend.add(
    createServiceFactory({
      service: coreServices.rootConfig,
      deps: {},
      factory: () => config,
    }),
  );
  backend.add(
    createServiceFactory({
      service: catalogServiceRef,
      deps: {},
      factory: () => catalogServiceMock({ entities }),
    }),
  );
  backend.add(import('@backstage/plugin-auth-backend'));
  backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
  backend.add(import('@backstage/plugin-permission-backend'));
  backend.add(portalPermissionPolicyModule);
  for (const feature of options.extraFeatures ?? []) backend.add(feature);
  for (const feature of options.features ?? []) backend.add(feature);
  if (!options.withoutGitops) {
    backend.add(import('@shoehorn/plugin-gitops-backend'));
    backend.add(captureDatabase);
  }
  if (options.clock) {
    const clock = options.clock;
    backend.add(
      createServiceFactory({
        service: gitopsClockServiceRef,
        deps: {},
        factory: () => clock,
      }),
    );
  }
  await backend.start();

  const refresh = await fetch(
    `${baseUrl}/api/auth/guest/refresh?env=development`,
    {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    },
  );
  if (!refresh.ok) {
    throw new Error(
      `guest sign-in failed: HTTP ${refresh.status} ${await refresh.text()}`,
    );
  }
  const userToken: string = (await refresh.json()).backstageIdentity.token;

  const bench: BenchBackend = {
    engine: options.engine,
    runId,
    knex: gitopsKnex!,
    agents,
    ...benchClient(baseUrl, userToken, agents),
    async stop() {
      await backend.stop();
      if (sqliteDir) fs.rmSync(sqliteDir, { recursive: true, force: true });
      if (options.engine === 'pg' && !options.replicaOf)
        await dropDatabases(`bench_${runId}_`);
    },
  };
  return bench;
}

/** The portal and agent routes of a backend at `baseUrl`, as a user and as its agents. */
export function benchClient(
  baseUrl: string,
  userToken: string,
  agents: BenchAgent[],
): Pick<
  BenchBackend,
  'baseUrl' | 'userToken' | 'agent' | 'push' | 'getJson' | 'postJson'
> {
  const api = `${baseUrl}/api/gitops`;
  return {
    baseUrl,
    userToken,
    agent(cluster: string) {
      const found = agents.find(a => a.cluster === cluster);
      if (!found) throw new Error(`no bench agent for cluster ${cluster}`);
      return found;
    },
    async push(agent: BenchAgent, body: PushRequest) {
      const res = await fetchRetryingDroppedSocket(`${api}/agent/v1/push`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${agent.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status !== 200)
        throw new Error(`push: HTTP ${res.status}: ${text.slice(0, 500)}`);
      return JSON.parse(text);
    },
    async getJson(pathAndQuery: string) {
      const res = await fetchRetryingDroppedSocket(`${api}${pathAndQuery}`, {
        headers: { authorization: `Bearer ${userToken}` },
      });
      const text = await res.text();
      if (res.status !== 200) {
        throw new Error(
          `GET ${pathAndQuery}: HTTP ${res.status}: ${text.slice(0, 500)}`,
        );
      }
      return JSON.parse(text);
    },
    async postJson(pathAndQuery: string, body: unknown) {
      const res = await fetchRetryingDroppedSocket(`${api}${pathAndQuery}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${userToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status >= 300) {
        throw new Error(
          `POST ${pathAndQuery}: HTTP ${res.status}: ${text.slice(0, 500)}`,
        );
      }
      return { status: res.status, body: JSON.parse(text) };
    },
  };
}

/**
 * A request tried twice when the connection fails before any response: the server may
 * close an idle keep-alive socket just as the client reuses it (after a long seeding pause),
 * in which case the request never reached a handler.
 */
async function fetchRetryingDroppedSocket(
  url: string,
  init: RequestInit,
): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } })
      .cause;
    const code = cause?.code ?? '';
    if (!['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'].includes(code)) throw error;
    process.stderr.write(
      `  ${init.method ?? 'GET'} ${url} failed (${code}); retrying once\n`,
    );
    return await fetch(url, init);
  }
}

async function dropDatabases(prefix: string) {
  const admin = knexFactory({ client: 'pg', connection: pgConnectionString() });
  try {
    const { rows } = await admin.raw(
      'select datname from pg_database where datname like ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await admin.raw('drop database if exists ?? with (force)', [datname]);
    }
  } finally {
    await admin.destroy();
  }
}
