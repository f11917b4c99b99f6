import { createBackendModule } from '@backstage/backend-plugin-api';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import permissionPlugin from '@backstage/plugin-permission-backend';

/**
 * The real permission framework (permission backend, HTTP permission client) with a
 * policy that denies the given permission to the given users and allows the rest.
 */
export function realPermissionsDenying(
  permissionName: string,
  userEntityRefs: string[],
) {
  const policy = createBackendModule({
    pluginId: 'permission',
    moduleId: 'test-deny-policy',
    register(env) {
      env.registerInit({
        deps: { policy: policyExtensionPoint },
        async init({ policy: extension }) {
          extension.setPolicy({
            async handle(request, user) {
              const denied =
                request.permission.name === permissionName &&
                userEntityRefs.includes(user?.info.userEntityRef ?? '');
              return {
                result: denied ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
              };
            },
          });
        },
      });
    },
  });
  return {
    permissions: permissionsServiceFactory,
    features: [permissionPlugin, policy],
    config: { permission: { enabled: true } },
  };
}
