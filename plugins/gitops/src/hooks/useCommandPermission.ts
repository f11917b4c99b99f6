import { useApi } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  AuthorizeResult,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  gitopsCommandCreatePermission,
  gitopsResourceLinkPermission,
} from '@shoehorn/plugin-gitops-common';
import useAsync from 'react-use/esm/useAsync';

/** Asks the permission backend directly, per mounted view (no cross-view cache). */
function usePermissionAnswer(
  permission: Permission,
  resourceRef?: string,
  skip = false,
) {
  const permissionApi = useApi(permissionApiRef);
  const { value, loading } = useAsync(
    async () =>
      skip
        ? undefined
        : permissionApi.authorize({
            permission,
            ...(resourceRef ? { resourceRef } : {}),
          }),
    [permissionApi, permission, resourceRef, skip],
  );
  return { loading, allowed: value?.result === AuthorizeResult.ALLOW };
}

/**
 * Whether the user may queue Sync/Refresh on a resource: a resource permission on
 * the linked entity. An unlinked resource has no entity to ask about, and the
 * permission backend refuses user requests for resource permissions without one
 * (failing the whole batch they travel in), so it is treated as not allowed.
 */
export function useCommandPermission(entityRef: string | null) {
  return usePermissionAnswer(
    gitopsCommandCreatePermission,
    entityRef ?? undefined,
    !entityRef,
  );
}

/** Whether the user may link and unlink resources by hand. */
export function useLinkPermission() {
  return usePermissionAnswer(gitopsResourceLinkPermission);
}
