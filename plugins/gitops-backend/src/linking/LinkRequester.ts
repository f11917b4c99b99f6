import type {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  gitopsResourceLinkPermission,
  gitopsResourceReadPermission,
  isLinkableKind,
  LINKABLE_KINDS,
  type ResourceLink,
} from '@shoehorn/plugin-gitops-common';
import type { Request } from 'express';
import type { GitOpsDatabase } from '../database/GitOpsDatabase';
import type { StoredGitOpsResource } from '../database/types';
import type { IngestService } from '../service/IngestService';
import {
  requireEntityPermission,
  requirePermission,
} from '../service/permissionChecks';
import { toEntityRef } from './EntityIndex';

/** The entity a link points at, as a list of none or one. */
function refsOf(link: Pick<ResourceLink, 'entityRef'>): string[] {
  return link.entityRef ? [link.entityRef] : [];
}

interface LinkChangeRequest {
  resourceId: string;
  authenticate: () => Promise<BackstageCredentials<BackstageUserPrincipal>>;
  httpRequest?: Request<any, any, any, any>;
}

/**
 * A user's manual link or unlink: checked as a resource permission on the entity the
 * resource is linked to now and the one it moves to (so an owners-only policy keeps
 * others' resources off their page and out of their Sync), and audited either way.
 */
export class LinkRequester {
  constructor(
    private readonly deps: {
      tenant: string;
      db: Pick<GitOpsDatabase, 'resources'>;
      ingest: IngestService;
      catalog: CatalogService;
      permissions: PermissionsService;
      auditor: AuditorService;
    },
  ) {}

  /** Links the resource to `entityRef` by hand. */
  link(
    request: LinkChangeRequest & { entityRef: unknown },
  ): Promise<StoredGitOpsResource> {
    return this.audited('link', request, async credentials => {
      const to = await this.linkableEntity(request.entityRef, credentials);
      // The chosen entity first: a policy that refuses it answers before any lookup.
      await this.requireLinkPermission(credentials, [to]);
      const resource = await this.resourceOrThrow(request.resourceId);
      if (resource.link.entityRef) {
        await this.requireLinkPermission(credentials, [
          resource.link.entityRef,
        ]);
      }
      return {
        from: resource.link.entityRef,
        updated: await this.deps.ingest.link(this.deps.tenant, resource.id, {
          entityRef: to,
          linkedBy: credentials.principal.userEntityRef,
        }),
      };
    });
  }

  /** Drops the manual link; the automatic rules decide the entity it moves to. */
  unlink(request: LinkChangeRequest): Promise<StoredGitOpsResource> {
    return this.audited('unlink', request, async credentials => {
      const resource = await this.resourceOrThrow(request.resourceId);
      const fallback = await this.deps.ingest.automaticLink(resource);
      await this.requireLinkPermission(credentials, [
        ...refsOf(resource.link),
        ...refsOf(fallback),
      ]);
      return {
        from: resource.link.entityRef,
        updated: await this.deps.ingest.unlink(this.deps.tenant, resource.id),
      };
    });
  }

  private async audited(
    action: 'link' | 'unlink',
    request: LinkChangeRequest,
    change: (
      credentials: BackstageCredentials<BackstageUserPrincipal>,
    ) => Promise<{
      from: string | null;
      updated: StoredGitOpsResource | undefined;
    }>,
  ): Promise<StoredGitOpsResource> {
    const { resourceId } = request;
    const audit = await this.deps.auditor.createEvent({
      eventId: 'resource-link',
      severityLevel: 'medium',
      request: request.httpRequest,
      meta: { action, resourceId },
    });
    try {
      const credentials = await request.authenticate();
      await requirePermission(
        this.deps.permissions,
        credentials,
        gitopsResourceReadPermission,
      );
      const { from, updated } = await change(credentials);
      if (!updated) {
        throw new NotFoundError(`no GitOps resource ${resourceId}`);
      }
      await audit.success({
        meta: {
          cluster: updated.cluster,
          from,
          to: updated.link.entityRef,
          status: updated.link.status,
        },
      });
      return updated;
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  }

  private requireLinkPermission(
    credentials: BackstageCredentials,
    entityRefs: string[],
  ): Promise<void> {
    return requireEntityPermission(
      this.deps.permissions,
      credentials,
      gitopsResourceLinkPermission,
      entityRefs,
    );
  }

  private async resourceOrThrow(id: string) {
    const resource = await this.deps.db.resources.get(this.deps.tenant, id);
    if (!resource) {
      throw new NotFoundError(`no GitOps resource ${id}`);
    }
    return resource;
  }

  /** The canonical ref of an entity the caller can see and a resource may link to; else a 400. */
  private async linkableEntity(
    value: unknown,
    credentials: BackstageCredentials,
  ): Promise<string> {
    const entityRef =
      typeof value === 'string' ? toEntityRef(value) : undefined;
    if (!entityRef) {
      throw new InputError(
        `entityRef: ${JSON.stringify(
          value,
        )} is not an entity ref (kind:namespace/name)`,
      );
    }
    const { kind } = parseEntityRef(entityRef);
    if (!isLinkableKind(kind)) {
      throw new InputError(
        `entityRef: a ${kind} cannot be linked; linkable kinds are ${LINKABLE_KINDS.join(
          ', ',
        )}`,
      );
    }
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new InputError(`entityRef: no entity ${entityRef} in the catalog`);
    }
    return entityRef;
  }
}
