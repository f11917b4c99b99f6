import { useApi } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  AuthorizeResult,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  commandPermissionResourceRef,
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

/** Whether the user may queue Sync/Refresh on a resource (see commandPermissionResourceRef). */
export function useCommandPermission(link: { entityRef: string | null }) {
  const resourceRef = commandPermissionResourceRef(link);
  return usePermissionAnswer(
    gitopsCommandCreatePermission,
    resourceRef,
    !resourceRef,
  );
}

/** Whether the user may link and unlink resources by hand. */
export function useLinkPermission() {
  return usePermissionAnswer(gitopsResourceLinkPermission);
}
