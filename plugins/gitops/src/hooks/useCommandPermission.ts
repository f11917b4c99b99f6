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

/**
 * Whether the user may move a resource off the entity it is linked to now (link it
 * elsewhere or unlink it). An unlinked resource has no entity to ask about: the backend
 * judges the chosen entity when the link is made, and the dialog shows a refusal.
 */
export function useLinkPermission(link: { entityRef: string | null }) {
  const resourceRef = link.entityRef ?? undefined;
  const answer = usePermissionAnswer(
    gitopsResourceLinkPermission,
    resourceRef,
    !resourceRef,
  );
  return resourceRef ? answer : { loading: false, allowed: true };
}
