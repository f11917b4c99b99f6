import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type BasicPermission,
  type ResourcePermission,
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
 * Throws NotAllowedError, naming the first refused entity, unless the caller is allowed a
 * catalog-entity permission on every one of `entityRefs`. With none there is no entity to
 * judge, so only an unconditional ALLOW counts.
 */
export async function requireEntityPermission(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: ResourcePermission<'catalog-entity'>,
  entityRefs: string[],
  unlinkedLabel = 'an unlinked resource',
): Promise<void> {
  const refs = [...new Set(entityRefs)];
  if (refs.length === 0) {
    const [decision] = await permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `not allowed: ${permission.name} on ${unlinkedLabel}`,
      );
    }
    return;
  }
  const decisions = await permissions.authorize(
    refs.map(resourceRef => ({ permission, resourceRef })),
    { credentials },
  );
  const refused = refs.find(
    (_ref, i) => decisions[i].result !== AuthorizeResult.ALLOW,
  );
  if (refused) {
    throw new NotAllowedError(`not allowed: ${permission.name} on ${refused}`);
  }
}

/**
 * Throws NotAllowedError unless the caller may queue a command on a resource.
 * Linked: a resource permission on the entity, so catalog-style policies apply.
 */
export function requireCommandPermission(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  entityRef: string | null,
): Promise<void> {
  return requireEntityPermission(
    permissions,
    credentials,
    gitopsCommandCreatePermission,
    entityRef ? [entityRef] : [],
  );
}
