import { useApi } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult, Permission } from '@backstage/plugin-permission-common';
import {
  gitopsCommandCreatePermission,
  gitopsResourceLinkPermission,
} from '@shoehorn/plugin-gitops-common';
import useAsync from 'react-use/esm/useAsync';

/** Asks the permission backend directly, per mounted view (no cross-view cache). */
function usePermissionAnswer(permission: Permission, resourceRef?: string) {
  const permissionApi = useApi(permissionApiRef);
  const { value, loading } = useAsync(
    () =>
      permissionApi.authorize({
        permission,
        ...(resourceRef ? { resourceRef } : {}),
      }),
    [permissionApi, permission, resourceRef],
  );
  return { loading, allowed: value?.result === AuthorizeResult.ALLOW };
}

/**
 * Whether the user may queue Sync/Refresh on a resource, asked the way the backend
 * decides: on the linked entity, or for an unlinked resource without one (which only
 * an unconditional ALLOW passes; `usePermission` would always deny that case).
 */
export function useCommandPermission(entityRef: string | null) {
  return usePermissionAnswer(gitopsCommandCreatePermission, entityRef ?? undefined);
}

/** Whether the user may link and unlink resources by hand. */
export function useLinkPermission() {
  return usePermissionAnswer(gitopsResourceLinkPermission);
}
