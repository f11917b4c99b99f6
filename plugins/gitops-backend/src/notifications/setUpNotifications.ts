import type {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { Knex } from 'knex';
import type { CommandRecord } from '../commands/CommandStore';
import type { GitOpsDatabase } from '../database/GitOpsDatabase';
import type { GitOpsClock } from '../service/clock';
import { GitOpsNotifier } from './GitOpsNotifier';
import { readNotificationsConfig } from './notificationsConfig';
import { OwnerAlerter } from './OwnerAlerter';
import { OwnerAlertStore } from './OwnerAlertStore';

export const OWNER_ALERTS_TASK = 'gitops-owner-alerts';

/**
 * Owner alerts on a global scheduler task (one replica at a time runs it), and the
 * listener that tells a command's requester its result. Nothing when switched off.
 */
export async function setUpNotifications(deps: {
  config: Config;
  tenant: string;
  knex: Knex;
  db: Pick<GitOpsDatabase, 'resources' | 'clusters'>;
  scheduler: SchedulerService;
  notifications: NotificationService;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  clock: GitOpsClock;
}): Promise<{
  onCommandFinished?: (command: CommandRecord) => Promise<void>;
}> {
  const config = readNotificationsConfig(deps.config);
  if (!config.enabled) {
    return {};
  }
  const notifier = new GitOpsNotifier({
    notifications: deps.notifications,
    catalog: deps.catalog,
    auth: deps.auth,
    logger: deps.logger,
    config,
  });
  const alerter = new OwnerAlerter({
    tenant: deps.tenant,
    db: deps.db,
    alerts: new OwnerAlertStore(deps.knex),
    notifier,
    clock: deps.clock,
    thresholds: {
      debounceMs: config.debounceMs,
      outOfSyncMs: config.outOfSyncMs,
    },
    logger: deps.logger,
  });
  await deps.scheduler.scheduleTask({
    id: OWNER_ALERTS_TASK,
    scope: 'global',
    frequency: { milliseconds: config.checkIntervalMs },
    timeout: { minutes: 5 },
    initialDelay: { minutes: 1 },
    fn: () => alerter.check(),
  });
  return {
    async onCommandFinished(command) {
      const resource = await deps.db.resources.get(
        command.tenant,
        command.resourceId,
      );
      await notifier.commandFinished(command, resource?.link.entityRef ?? null);
    },
  };
}
