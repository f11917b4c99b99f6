import fs from 'node:fs';
import path from 'node:path';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConfigSources } from '@backstage/config-loader';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import type { JsonObject } from '@backstage/types';
import gitopsPlugin from '@shoehorn/plugin-gitops-backend';
import request from 'supertest';
import { portalPermissionPolicyModule } from './permissionPolicy';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../..');
const PRODUCTION_SET = ['app-config.yaml', 'app-config.production.yaml'];
const DEMO_SET = ['app-config.yaml', 'app-config.demo.yaml'];

/** Loads config files as the backend does, `${VAR:-default}` falling back to its default. */
async function loadConfigSet(files: string[]): Promise<JsonObject> {
  const config = await ConfigSources.toConfig(
    ConfigSources.defaultForTargets({
      rootDir: ROOT,
      targets: files.map(file => ({
        type: 'path' as const,
        target: path.join(ROOT, file),
      })),
      substitutionFunc: async () => undefined,
    }),
  );
  const data = config.get<JsonObject>();
  config.close();
  return data;
}

/** Every static external-access token any config file of the repository publishes. */
async function publishedTokens(): Promise<string[]> {
  const files = fs
    .readdirSync(ROOT)
    .filter(file => /^app-config.*\.ya?ml$/.test(file));
  const tokens: string[] = [];
  for (const file of files) {
    const config = new ConfigReader(await loadConfigSet([file]));
    for (const access of config.getOptionalConfigArray(
      'backend.auth.externalAccess',
    ) ?? []) {
      const token = access.getOptionalString('options.token');
      if (token) tokens.push(token);
    }
  }
  return tokens;
}

const catalog = createServiceFactory({
  service: catalogServiceRef,
  deps: {},
  factory: () =>
    catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'web', namespace: 'default' },
          spec: {},
        },
      ],
    }),
});

describe('the production config set', () => {
  const databases = TestDatabases.create({
    ids: ['POSTGRES_15'],
    disableDocker: true,
  });

  async function start(files: string[], realAuth: boolean) {
    return startTestBackend({
      features: [
        mockServices.rootConfig.factory({ data: await loadConfigSet(files) }),
        // The one part not read from the set: a fresh PostgreSQL database per plugin.
        createServiceFactory({
          service: coreServices.database,
          deps: {},
          factory: async () => {
            const knex = await databases.init('POSTGRES_15');
            return { getClient: async () => knex };
          },
        }),
        ...(realAuth ? [authServiceFactory, httpAuthServiceFactory] : []),
        permissionsServiceFactory,
        permissionsRegistryServiceFactory,
        catalog,
        permissionPlugin,
        portalPermissionPolicyModule,
        gitopsPlugin,
      ],
    });
  }

  it('accepts no agent token present in the repository', async () => {
    const tokens = await publishedTokens();
    // The demo agents' three tokens, so the check below looks at something.
    expect(tokens).toHaveLength(3);
    const backend = await start(PRODUCTION_SET, true);
    for (const token of tokens) {
      const res = await request(backend.server)
        .post('/api/gitops/agent/v1/push')
        .set('Authorization', `Bearer ${token}`)
        .send({});
      expect({ token, status: res.status }).toEqual({ token, status: 401 });
    }
    await backend.stop();

    // The same tokens do work where they belong: the demo start path.
    const demo = await start(DEMO_SET, true);
    const res = await request(demo.server)
      .post('/api/gitops/agent/v1/push')
      .set('Authorization', `Bearer ${tokens[0]}`)
      .send({});
    expect(res.status).toBe(400);
    await demo.stop();
  });

  it.each([
    ['production', PRODUCTION_SET, 403],
    ['demo', DEMO_SET, 404],
  ])(
    'allow-all is on only in the demo set (%s: a link answers %p)',
    async (_name, files, linkStatus) => {
      const backend = await start(files, false);
      const user = mockCredentials.user.header('user:default/alice');
      const list = await request(backend.server)
        .get('/api/gitops/v1/resources')
        .set('Authorization', user);
      expect(list.status).toBe(200);
      // Past the permission check a link to a resource that does not exist is a 404.
      const link = await request(backend.server)
        .post('/api/gitops/v1/resources/no-such-resource/link')
        .set('Authorization', user)
        .send({ entityRef: 'component:default/web' });
      expect(link.status).toBe(linkStatus);
      await backend.stop();
    },
  );
});
