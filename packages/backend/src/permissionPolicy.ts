import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';

/** The config key the demo start path sets; nothing else turns the allow-all policy on. */
export const DEMO_ALLOW_ALL_KEY = 'demo.allowAllPermissions';

/** Every request allowed: the demo portal, started by scripts/dev.sh and scripts/e2e.sh. */
export class DemoAllowAllPolicy implements PermissionPolicy {
  async handle(): Promise<PolicyDecision> {
    return { result: AuthorizeResult.ALLOW };
  }
}

/**
 * The default without the demo flag: signed-in users read; every change (link, Sync,
 * Refresh, catalog edits) is denied until the installer brings a policy of its own.
 */
export class ReadOnlyPolicy implements PermissionPolicy {
  async handle(request: PolicyQuery): Promise<PolicyDecision> {
    return request.permission.attributes.action === 'read'
      ? { result: AuthorizeResult.ALLOW }
      : { result: AuthorizeResult.DENY };
  }
}

/** Chooses the portal's permission policy from config (see packages/backend/README.md). */
export const portalPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'portal-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ policy, config, logger }) {
        if (config.getOptionalBoolean(DEMO_ALLOW_ALL_KEY)) {
          logger.warn(
            `${DEMO_ALLOW_ALL_KEY} is set: every permission request is allowed (demo only)`,
          );
          policy.setPolicy(new DemoAllowAllPolicy());
        } else {
          policy.setPolicy(new ReadOnlyPolicy());
        }
      },
    });
  },
});
