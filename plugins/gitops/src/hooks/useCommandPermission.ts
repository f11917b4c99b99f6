import { useApi } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { gitopsCommandCreatePermission } from '@shoehorn/plugin-gitops-common';
import useAsync from 'react-use/esm/useAsync';

/**
 * Whether the user may queue Sync/Refresh on a resource, asked the way the backend
 * decides: on the linked entity, or for an unlinked resource without one (which only
 * an unconditional ALLOW passes; `usePermission` would always deny that case).
 */
export function useCommandPermission(entityRef: string | null): {
  loading: boolean;
  allowed: boolean;
} {
  const permissionApi = useApi(permissionApiRef);
  const { value, loading } = useAsync(
    () =>
      permissionApi.authorize({
        permission: gitopsCommandCreatePermission,
        ...(entityRef ? { resourceRef: entityRef } : {}),
      }),
    [permissionApi, entityRef],
  );
  return { loading, allowed: value?.result === AuthorizeResult.ALLOW };
}
