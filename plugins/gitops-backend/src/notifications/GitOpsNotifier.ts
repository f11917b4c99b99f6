import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  COMMAND_TYPE_LABELS,
  NOTIFICATIONS_ANNOTATION,
} from '@shoehorn/plugin-gitops-common';
import type { CommandRecord } from '../commands/CommandStore';
import type { GitOpsNotificationsConfig } from './notificationsConfig';
import type { AlertCondition } from './ownerAlerts';

const TOPIC = 'GitOps';

/** The resource an alert is about, as much as is known of it. */
export interface AlertedResource {
  id: string;
  name: string;
  cluster: string;
  kind?: string;
  healthStatus?: string;
  syncStatus?: string;
  message?: string | null;
  driftReason?: string | null;
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m === 1 ? '1 minute' : `${m} minutes`;
}

/** The entity's Operations tab, where the resource's status and Sync button are. */
export function operationsLink(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLowerCase(),
  )}/${encodeURIComponent(name)}/operations`;
}

/** Words and sends GitOps notifications; a failure to send is logged, never thrown. */
export class GitOpsNotifier {
  constructor(
    private readonly deps: {
      notifications: NotificationService;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      config: GitOpsNotificationsConfig;
    },
  ) {}

  /**
   * Tells the owners of `entityRef` that a resource entered `condition`, or recovered
   * (null). One notification per resource: a later one replaces it.
   */
  async resourceAlert(
    entityRef: string,
    resource: AlertedResource,
    condition: AlertCondition | null,
  ): Promise<void> {
    if (await this.optedOut(entityRef)) {
      return;
    }
    const { severity, outOfSyncMs } = this.deps.config;
    const where = `${resource.name} on ${resource.cluster}`;
    const payload = {
      degraded: {
        title: `${where} is Degraded`,
        description:
          resource.message ??
          `The ${resource.kind ?? 'resource'} reports Degraded health.`,
        severity: severity.degraded,
      },
      outOfSync: {
        title: `${where} has been OutOfSync for over ${minutes(outOfSyncMs)}`,
        description:
          resource.driftReason ??
          resource.message ??
          'The live state does not match the desired state in Git.',
        severity: severity.outOfSync,
      },
      disconnected: {
        title: `${resource.cluster} is disconnected: the status of ${resource.name} is out of date`,
        description: `No heartbeat from the GitOps agent of ${resource.cluster} for 15 minutes; the last reported status is shown.`,
        severity: severity.disconnected,
      },
      resolved: {
        title: `Resolved: ${where}${
          resource.healthStatus
            ? ` is ${resource.healthStatus} and ${resource.syncStatus}`
            : ' is no longer reported'
        }`,
        description: 'The earlier GitOps alert for this resource has cleared.',
        severity: severity.resolved,
      },
    }[condition ?? 'resolved'];
    await this.send(`resource alert for ${resource.id}`, {
      recipients: { type: 'entity', entityRef },
      payload: {
        ...payload,
        link: operationsLink(entityRef),
        topic: TOPIC,
        scope: `gitops:resource:${resource.id}`,
      },
    });
  }

  /** Tells the user who requested a command how it ended. */
  async commandFinished(
    command: CommandRecord,
    linkedEntityRef: string | null,
  ): Promise<void> {
    const { severity } = this.deps.config;
    const what = `${COMMAND_TYPE_LABELS[command.type]} of ${
      command.resource.name
    } on ${command.cluster}`;
    const succeeded = command.status === 'succeeded';
    await this.send(`result of command ${command.id}`, {
      recipients: { type: 'entity', entityRef: command.requestedBy },
      payload: {
        title: `${what} ${command.status}`,
        description:
          command.message ??
          (command.status === 'expired'
            ? "The cluster's agent did not run it in time."
            : undefined),
        severity: succeeded
          ? severity.commandSucceeded
          : severity.commandFailed,
        link: linkedEntityRef
          ? operationsLink(linkedEntityRef)
          : `/gitops?q=${encodeURIComponent(command.resource.name)}`,
        topic: TOPIC,
        scope: `gitops:command:${command.id}`,
      },
    });
  }

  private async optedOut(entityRef: string): Promise<boolean> {
    try {
      const entity = await this.deps.catalog.getEntityByRef(entityRef, {
        credentials: await this.deps.auth.getOwnServiceCredentials(),
      });
      return (
        entity?.metadata.annotations?.[NOTIFICATIONS_ANNOTATION] === 'disabled'
      );
    } catch (error) {
      // Better a notification the owner did not want than a missed outage.
      this.deps.logger.warn(`Could not read ${entityRef}: ${error}`);
      return false;
    }
  }

  private async send(
    what: string,
    notification: Parameters<NotificationService['send']>[0],
  ): Promise<void> {
    try {
      await this.deps.notifications.send(notification);
    } catch (error) {
      this.deps.logger.warn(`Could not send the GitOps ${what}: ${error}`);
    }
  }
}
