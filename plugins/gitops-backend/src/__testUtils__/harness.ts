import {
  coreServices,
  createServiceFactory,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  signalsServiceRef,
  type SignalPayload,
} from '@backstage/plugin-signals-node';
import type {
  GitOpsResource,
  GitOpsSignal,
  PushRequest,
} from '@shoehorn/plugin-gitops-common';
import type { Knex } from 'knex';
import request from 'supertest';
import { gitopsPlugin } from '../plugin';
import { gitopsClockServiceRef } from '../service/clock';

const PG_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * SQLite and PostgreSQL 15. PostgreSQL comes from the env var (scripts/services.sh sets it);
 * without it the suite fails rather than silently testing SQLite alone.
 */
export function createTestDatabases(): TestDatabases {
  if (!process.env[PG_ENV]) {
    throw new Error(
      `${PG_ENV} is not set: these tests need PostgreSQL 15. ` +
        `Run them through scripts/test.sh, or export ${PG_ENV}=postgresql://postgres:postgres@127.0.0.1:5432`,
    );
  }
  return TestDatabases.create({
    ids: ['SQLITE_3', 'POSTGRES_15'],
    disableDocker: true,
  });
}

/** Retries `check` until it passes: tests wait for a final state, never for a fixed time. */
export async function eventually<T>(check: () => Promise<T> | T): Promise<T> {
  for (;;) {
    try {
      return await check();
    } catch {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }
}

/** A clock tests move by hand. */
export class ManualClock {
  constructor(public current = Date.parse('2025-06-01T12:00:00Z')) {}
  now() {
    return this.current;
  }
  advance(ms: number) {
    this.current += ms;
  }
}

export const AGENTS = {
  a: { subject: 'gitops-agent-a', tenant: 'default', cluster: 'cluster-a' },
  b: { subject: 'gitops-agent-b', tenant: 'default', cluster: 'cluster-b' },
  /** A Flux agent in agent a's cluster, beside its ArgoCD agent. */
  aFlux: {
    subject: 'gitops-agent-a-flux',
    tenant: 'default',
    cluster: 'cluster-a',
  },
  other: {
    subject: 'gitops-agent-other',
    tenant: 'other',
    cluster: 'cluster-a',
  },
};

export function agentHeader(subject: string): string {
  return mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(subject),
    targetPluginId: 'gitops',
  });
}

export const userHeader = (ref = 'user:default/alice') =>
  mockCredentials.user.header(ref);

export function makeResource(
  name: string,
  overrides: Partial<GitOpsResource> = {},
): GitOpsResource {
  return {
    tool: 'argocd',
    kind: 'Application',
    namespace: 'argocd',
    name,
    uid: `uid-${name}`,
    syncStatus: 'Synced',
    healthStatus: 'Healthy',
    source: {
      url: `https://git.example.com/org/${name}.git`,
      path: 'deploy',
      chart: null,
    },
    revision: 'abc123',
    targetRevision: 'main',
    autoSync: true,
    suspended: false,
    lastSyncedAt: '2025-06-01T11:00:00Z',
    drift: { detected: false, reason: null },
    entityAnnotation: null,
    message: null,
    ...overrides,
  };
}

export function makePush(overrides: Partial<PushRequest> = {}): PushRequest {
  return {
    agent: {
      version: '1.0.0',
      session: 'session-1',
      tool: 'argocd',
      capabilities: { sync: true, refresh: true },
    },
    seq: 1,
    type: 'snapshot',
    upserts: [],
    deletes: [],
    ...overrides,
  };
}

export function component(
  name: string,
  namespace = 'default',
  kind = 'Component',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace },
    spec: {},
  };
}

export interface TestBackendOptions {
  knex: Knex;
  /** Databases of other plugins by plugin id (each plugin migrates its own). */
  pluginDatabases?: Record<string, Knex>;
  entities?: Entity[];
  clock?: ManualClock;
  config?: Record<string, unknown>;
  features?: ServiceFactory[];
  permissions?: ServiceFactory;
  /** Use the real auth services (to test static tokens) instead of mock credentials. */
  realAuth?: boolean;
  /** The catalog plugin runs among `features` (its entities, its permission rules). */
  realCatalog?: boolean;
}

/** A catalog that reads `catalog.entities` on every call, so tests can change it. */
function mockCatalog(catalog: { entities: Entity[] }): ServiceFactory {
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () =>
      ({
        getEntities: (req: any, opts: any) =>
          catalogServiceMock({ entities: catalog.entities }).getEntities(
            req,
            opts,
          ),
        getEntityByRef: (ref: any, opts: any) =>
          catalogServiceMock({ entities: catalog.entities }).getEntityByRef(
            ref,
            opts,
          ),
        getEntitiesByRefs: (req: any, opts: any) =>
          catalogServiceMock({
            entities: catalog.entities,
          }).getEntitiesByRefs(req, opts),
      } as any),
  });
}

/** Starts the gitops plugin on a random port with real databases and controllable time. */
export async function startGitOpsBackend(options: TestBackendOptions) {
  const clock = options.clock ?? new ManualClock();
  const signals: GitOpsSignal[] = [];
  /** When each signal was published (real time), by index. */
  const signalTimes: number[] = [];
  const catalog = { entities: options.entities ?? [] };
  const scheduler = mockServices.scheduler() as ReturnType<
    typeof mockServices.scheduler
  > & {
    factory(o?: { skipTaskRunOnStartup?: boolean }): ServiceFactory;
  };
  const backend = await startTestBackend({
    features: [
      gitopsPlugin,
      createServiceFactory({
        service: coreServices.database,
        deps: { plugin: coreServices.pluginMetadata },
        factory: ({ plugin }) => {
          const knex =
            options.pluginDatabases?.[plugin.getId()] ?? options.knex;
          return { getClient: async () => knex };
        },
      }),
      ...(options.realAuth
        ? [authServiceFactory, httpAuthServiceFactory]
        : [
            mockServices.httpAuth.factory({
              defaultCredentials: mockCredentials.none(),
            }),
          ]),
      options.permissions ??
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({
        data: {
          gitops: {
            agents: Object.values(AGENTS),
            commands: { pollInterval: '100ms' },
          },
          ...options.config,
        },
      }),
      scheduler.factory({ skipTaskRunOnStartup: true }),
      createServiceFactory({
        service: gitopsClockServiceRef,
        deps: {},
        factory: () => clock,
      }),
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({
          async publish(signal: SignalPayload) {
            signals.push(signal.message as unknown as GitOpsSignal);
            signalTimes.push(Date.now());
          },
        }),
      }),
      ...(options.realCatalog ? [] : [mockCatalog(catalog)]),
      ...(options.features ?? []),
    ],
  });
  const server = backend.server;
  const api = {
    server,
    clock,
    signals,
    signalTimes,
    catalog,
    scheduler,
    stop: () => backend.stop(),
    push(agent: { subject: string }, body: unknown) {
      return request(server)
        .post('/api/gitops/agent/v1/push')
        .set('Authorization', agentHeader(agent.subject))
        .send(body as object);
    },
    get(path: string, user = userHeader()) {
      return request(server)
        .get(`/api/gitops${path}`)
        .set('Authorization', user);
    },
    post(path: string, body: object, user = userHeader()) {
      return request(server)
        .post(`/api/gitops${path}`)
        .set('Authorization', user)
        .send(body);
    },
    delete(path: string, user = userHeader()) {
      return request(server)
        .delete(`/api/gitops${path}`)
        .set('Authorization', user);
    },
    async list(query = '') {
      const res = await api.get(`/v1/resources${query}`);
      if (res.status !== 200) {
        throw new Error(
          `list failed ${res.status}: ${JSON.stringify(res.body)}`,
        );
      }
      return res.body as import('@shoehorn/plugin-gitops-common').ResourceListResponse;
    },
  };
  return api;
}

export type GitOpsTestBackend = Awaited<ReturnType<typeof startGitOpsBackend>>;
