import type {
  AuditorService,
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  commandPermissionResourceRef,
  gitopsResourceReadPermission,
  type CommandType,
} from '@shoehorn/plugin-gitops-common';
import type { Request } from 'express';
import type { GitOpsDatabase } from '../database/GitOpsDatabase';
import {
  requireCommandPermission,
  requirePermission,
} from '../service/permissionChecks';
import type { CommandQueue } from './CommandQueue';
import type { CommandRecord } from './CommandStore';

/**
 * A user's Sync or Refresh request, as the portal route and the MCP action both make it:
 * permission-checked as the caller, audited, and queued in the one ledger.
 */
export class CommandRequester {
  constructor(
    private readonly deps: {
      tenant: string;
      db: Pick<GitOpsDatabase, 'resources' | 'clusters'>;
      commands: CommandQueue;
      permissions: PermissionsService;
      auditor: AuditorService;
      auth: AuthService;
    },
  ) {}

  /**
   * Queues the command, or returns the identical pending one (created false).
   * `authenticate` runs inside the audit event, so refused callers are audited too.
   */
  async request(options: {
    resourceId: string;
    type: CommandType;
    hard: boolean;
    authenticate: () => Promise<BackstageCredentials>;
    httpRequest?: Request<any, any, any, any>;
  }): Promise<{ command: CommandRecord; created: boolean }> {
    const { tenant, db, commands, permissions, auditor, auth } = this.deps;
    const { resourceId, type, hard } = options;
    const audit = await auditor.createEvent({
      eventId: 'command-create',
      severityLevel: 'medium',
      request: options.httpRequest,
      meta: { resourceId, type, hard },
    });
    try {
      const credentials = await options.authenticate();
      // The ledger names the person who asked; a service has no one to answer for it.
      if (!auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError('commands are requested by users only');
      }
      await requirePermission(
        permissions,
        credentials,
        gitopsResourceReadPermission,
      );
      const resource = await db.resources.get(tenant, resourceId);
      if (!resource) {
        throw new NotFoundError(`no GitOps resource ${resourceId}`);
      }
      const entityRef = commandPermissionResourceRef(resource.link) ?? null;
      await requireCommandPermission(permissions, credentials, entityRef);
      const agents = await db.clusters.agentsOf(tenant, resource.cluster);
      const result = await commands.request({
        resource,
        agents,
        type,
        hard,
        requestedBy: credentials.principal.userEntityRef,
      });
      await audit.success({
        meta: {
          commandId: result.command.id,
          cluster: resource.cluster,
          entityRef,
          outcome: result.created ? 'queued' : 'already-pending',
        },
      });
      return result;
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  }
}
