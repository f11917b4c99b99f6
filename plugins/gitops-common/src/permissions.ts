import { createPermission } from '@backstage/plugin-permission-common';

/** Read GitOps resources, clusters and stats. @public */
export const gitopsResourceReadPermission = createPermission({
  name: 'gitops.resource.read',
  attributes: { action: 'read' },
});

/**
 * Link a GitOps resource to a catalog entity by hand, or unlink it. A resource permission
 * on the catalog entity, asked of both the entity the resource is linked to now and the
 * one it will be linked to, so an "owners may link" policy keeps resources on their page.
 * @public
 */
export const gitopsResourceLinkPermission = createPermission({
  name: 'gitops.resource.link',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Queue a Sync or Refresh. A resource permission on the linked catalog entity, so a
 * catalog-style policy ("owners may sync") applies.
 * @public
 */
export const gitopsCommandCreatePermission = createPermission({
  name: 'gitops.command.create',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** @public */
export const gitopsPermissions = [
  gitopsResourceReadPermission,
  gitopsResourceLinkPermission,
  gitopsCommandCreatePermission,
];

/**
 * The resource a command permission is asked about: the linked entity. An unlinked
 * resource has none, so only an unconditional ALLOW counts; the permission backend
 * refuses users' resource-permission requests without a resourceRef, so a browser
 * cannot ask and treats it as not allowed.
 * @public
 */
export function commandPermissionResourceRef(link: {
  entityRef: string | null;
}): string | undefined {
  return link.entityRef ?? undefined;
}
