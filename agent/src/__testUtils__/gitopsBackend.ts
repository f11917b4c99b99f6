import http from 'node:http';
import type { AddressInfo } from 'node:net';
import gitopsPlugin from '@shoehorn/plugin-gitops-backend';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';

/** An agent identity known to the backend. */
export interface TestAgentIdentity {
  subject: string;
  cluster: string;
  /** The static externalAccess token (real auth mode only). */
  token: string;
}

/** Options of {@link startGitOpsBackendForAgent}. */
export interface AgentBackendOptions {
  agents: TestAgentIdentity[];
  /**
   * 'static': the real auth services with backend.auth.externalAccess static tokens (how a
   * production agent authenticates). 'mock': Backstage's mock credentials, so the same test can
   * also call the portal API as a user.
   */
  auth: 'static' | 'mock';
  /** From {@link createAgentTestDatabases}, called at describe time (it registers jest hooks). */
  databases: TestDatabases;
  /** gitops.commands.lease, e.g. '2s' (default 60 s). */
  commandLease?: string;
}

/** SQLite test databases; call in the describe body, not inside a hook or test. */
export function createAgentTestDatabases(): TestDatabases {
  return TestDatabases.create({ ids: ['SQLITE_3'], disableDocker: true });
}

/** A pass-through HTTP gate: 'open', 'unavailable' (503), or 'refused' (connections reset). */
export class BackendGate {
  mode: 'open' | 'unavailable' | 'refused' = 'open';
  /** Answer 503 to command results only (the agent's report is lost). */
  failResults = false;
  private server?: http.Server;

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      if (this.mode === 'refused') {
        req.socket.destroy();
        return;
      }
      if (
        this.mode === 'unavailable' ||
        (this.failResults && /\/commands\/[^/]+\/result$/.test(req.url ?? ''))
      ) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { name: 'ServiceUnavailable', message: 'portal is down' },
          }),
        );
        return;
      }
      const upstream = http.request(
        `${this.target}${req.url}`,
        { method: req.method, headers: req.headers },
        up => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
      res.on('close', () => upstream.destroy());
    });
    await new Promise<void>(r => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>(r =>
      this.server ? this.server.close(() => r()) : r(),
    );
  }
}

/**
 * The real gitops backend plugin in-process (startTestBackend) on SQLite, behind a gate that
 * can take it offline (503 or refused connections) without losing its state.
 */
export async function startGitOpsBackendForAgent(options: AgentBackendOptions) {
  const knex = await options.databases.init('SQLITE_3');
  const externalAccess = options.agents.map(a => ({
    type: 'static',
    options: { token: a.token, subject: a.subject },
    accessRestrictions: [{ plugin: 'gitops' }],
  }));
  const backend = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.database.factory({ knex }),
      ...(options.auth === 'static'
        ? [authServiceFactory, httpAuthServiceFactory]
        : [
            mockServices.httpAuth.factory({
              defaultCredentials: mockCredentials.none(),
            }),
          ]),
      mockServices.permissions.factory(),
      mockServices.rootConfig.factory({
        data: {
          backend: { auth: { externalAccess } },
          gitops: {
            agents: options.agents.map(a => ({
              subject: a.subject,
              tenant: 'default',
              cluster: a.cluster,
            })),
            commands: {
              pollInterval: '100ms',
              ...(options.commandLease ? { lease: options.commandLease } : {}),
            },
          },
        },
      }),
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({ async publish() {} }),
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () =>
          ({
            getEntities: async () => ({ items: [] }),
            getEntityByRef: async () => undefined,
            queryEntities: async () => ({
              items: [],
              totalItems: 0,
              pageInfo: {},
            }),
          } as any),
      }),
    ],
  });
  const address = backend.server.address() as AddressInfo;
  const target = `http://127.0.0.1:${address.port}`;
  const gate = new BackendGate(target);
  const url = await gate.start();

  return {
    /** The URL agents use (through the gate). */
    url,
    /** The backend itself, bypassing the gate (for portal API calls). */
    directUrl: target,
    knex,
    gate,
    /** The agent token to configure: the static token, or a mock service token in mock mode. */
    tokenOf(agent: TestAgentIdentity): string {
      if (options.auth === 'static') return agent.token;
      return mockCredentials.service.token({
        onBehalfOf: mockCredentials.service(agent.subject),
        targetPluginId: 'gitops',
      });
    },
    /** Stored resources of a cluster as `tool/kind/namespace/name=syncStatus`, sorted. */
    async resources(cluster: string): Promise<string[]> {
      const rows = await knex('gitops_resources')
        .where({ cluster })
        .select('tool', 'kind', 'namespace', 'name', 'sync_status');
      return rows
        .map(
          r => `${r.tool}/${r.kind}/${r.namespace}/${r.name}=${r.sync_status}`,
        )
        .sort();
    },
    /** A portal API request as user alice, straight to the backend (mock auth mode). */
    async portal(method: string, route: string, body?: unknown) {
      const res = await fetch(`${target}/api/gitops${route}`, {
        method,
        headers: {
          authorization: mockCredentials.user.header('user:default/alice'),
          'content-type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    },
    async row(cluster: string, name: string): Promise<any> {
      return knex('gitops_resources').where({ cluster, name }).first();
    },
    async stop() {
      await gate.stop();
      await backend.stop();
    },
  };
}

export type AgentTestBackend = Awaited<
  ReturnType<typeof startGitOpsBackendForAgent>
>;
