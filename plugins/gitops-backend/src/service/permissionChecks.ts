import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import { gitopsCommandCreatePermission } from '@shoehorn/plugin-gitops-common';

/** Throws NotAllowedError unless the caller is allowed the (non-resource) permission. */
export async function requirePermission(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: BasicPermission,
): Promise<void> {
  const [decision] = await permissions.authorize([{ permission }], {
    credentials,
  });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(`not allowed: ${permission.name}`);
  }
}

/**
 * Throws NotAllowedError unless the caller may queue a command on a resource.
 * Linked: a resource permission on the entity, so catalog-style policies apply.
 * Unlinked: there is no entity to judge, so only an unconditional ALLOW counts.
 */
export async function requireCommandPermission(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  entityRef: string | null,
): Promise<void> {
  const decision = entityRef
    ? (
        await permissions.authorize(
          [
            {
              permission: gitopsCommandCreatePermission,
              resourceRef: entityRef,
            },
          ],
          { credentials },
        )
      )[0].result
    : (
        await permissions.authorizeConditional(
          [{ permission: gitopsCommandCreatePermission }],
          { credentials },
        )
      )[0].result;
  if (decision !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `not allowed: ${gitopsCommandCreatePermission.name} on ${
        entityRef ?? 'an unlinked resource'
      }`,
    );
  }
}
