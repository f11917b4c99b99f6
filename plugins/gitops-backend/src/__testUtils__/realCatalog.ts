import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import permissionPlugin from '@backstage/plugin-permission-backend';
import type { Knex } from 'knex';
import request from 'supertest';
import type { GitOpsTestBackend } from './harness';

/** Puts the given entities into the real catalog, as a provider does. */
function staticEntities(entities: Entity[]) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-entities',
    register(env) {
      env.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => 'test-entities',
            connect: connection =>
              connection.applyMutation({
                type: 'full',
                entities: entities.map(entity => ({
                  entity: {
                    ...entity,
                    metadata: {
                      ...entity.metadata,
                      annotations: {
                        'backstage.io/managed-by-location': 'url:test',
                        'backstage.io/managed-by-origin-location': 'url:test',
                        ...entity.metadata.annotations,
                      },
                    },
                  },
                  locationKey: 'test-entities',
                })),
              }),
          });
        },
      });
    },
  });
}

/**
 * Mock auth whose tokens on a user's behalf name the calling plugin as actor, as real
 * tokens do; the permission backend refuses conditional requests from users directly.
 */
const onBehalfAuth = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    const issue = auth.getPluginRequestToken.bind(auth);
    auth.getPluginRequestToken = async options => {
      const { principal } = options.onBehalfOf;
      if (!auth.isPrincipal(options.onBehalfOf, 'user')) {
        return issue(options);
      }
      return {
        token: mockCredentials.user.token(
          (principal as { userEntityRef: string }).userEntityRef,
          { actor: { subject: `plugin:${plugin.getId()}` } },
        ),
      };
    };
    return auth;
  },
});

/**
 * The catalog's own "owners only" rule for the given catalog-entity permissions: a
 * conditional decision on `isEntityOwner`, which the real catalog evaluates. The rest is allowed.
 */
function ownersOnlyPolicy(permissionNames: string[]) {
  return createBackendModule({
    pluginId: 'permission',
    moduleId: 'test-owners-only-policy',
    register(env) {
      env.registerInit({
        deps: { policy: policyExtensionPoint },
        async init({ policy: extension }) {
          extension.setPolicy({
            async handle(req, user) {
              if (
                isResourcePermission(req.permission, 'catalog-entity') &&
                permissionNames.includes(req.permission.name)
              ) {
                return createCatalogConditionalDecision(
                  req.permission,
                  catalogConditions.isEntityOwner({
                    claims: user?.info.ownershipEntityRefs ?? [],
                  }),
                );
              }
              return { result: AuthorizeResult.ALLOW };
            },
          });
        },
      });
    },
  });
}

/**
 * The real catalog (its own database, the given entities) and the real permission
 * framework with an owners-only policy for the named permissions; options for
 * startGitOpsBackend.
 */
export function realCatalogWithOwnersOnly(options: {
  catalogKnex: Knex;
  entities: Entity[];
  ownersOnly: string[];
}) {
  return {
    realCatalog: true,
    pluginDatabases: { catalog: options.catalogKnex },
    permissions: permissionsServiceFactory,
    features: [
      onBehalfAuth,
      catalogPlugin,
      staticEntities(options.entities),
      permissionPlugin,
      ownersOnlyPolicy(options.ownersOnly),
    ],
    config: { permission: { enabled: true } },
  };
}

/** Waits until the catalog serves every given entity (its processing runs in the background). */
export async function catalogServes(
  backend: GitOpsTestBackend,
  entityRefs: string[],
  user: string,
): Promise<void> {
  for (;;) {
    const res = await request(backend.server)
      .post('/api/catalog/entities/by-refs')
      .set('Authorization', user)
      .send({ entityRefs });
    if (res.status === 200 && res.body.items.every(Boolean)) {
      return;
    }

    await new Promise(resolve => setTimeout(resolve, 200));
  }
}
