import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import type { CommandQueue } from '../commands/CommandQueue';
import type { CommandStore } from '../commands/CommandStore';
import type { GitOpsStore } from '../database/GitOpsStore';
import type { DeploymentStore } from '../history/DeploymentStore';
import type { EntityLinker } from '../linking/EntityLinker';
import type { ChangePublisher } from './ChangePublisher';
import type { GitOpsClock } from './clock';
import type { GitOpsConfig } from './config';

export const CATALOG_RELINK_TASK = 'gitops-catalog-relink';
export const PRUNE_TASK = 'gitops-prune';
export const COMMAND_EXPIRY_TASK = 'gitops-command-expiry';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Background work: relinking after catalog changes, retention, command expiry. */
export async function scheduleGitOpsTasks(deps: {
  scheduler: SchedulerService;
  logger: LoggerService;
  config: GitOpsConfig;
  clock: GitOpsClock;
  store: GitOpsStore;
  commandStore: CommandStore;
  deployments: DeploymentStore;
  commands: CommandQueue;
  linker: EntityLinker;
  publisher: ChangePublisher;
}) {
  const {
    scheduler,
    logger,
    config,
    clock,
    store,
    commandStore,
    deployments,
    commands,
    linker,
    publisher,
  } = deps;

  // Local: every replica keeps its own catalog index, used when pushes are linked.
  await scheduler.scheduleTask({
    id: CATALOG_RELINK_TASK,
    scope: 'local',
    frequency: { milliseconds: config.catalogRefreshIntervalMs },
    timeout: { minutes: 15 },
    initialDelay: { seconds: 10 },
    fn: async () => {
      const changed = await linker.refresh();
      if (!changed) {
        return;
      }
      const result = await store.relinkAll(linker.resolver);
      if (result.changed > 0) {
        logger.info(
          `Catalog changed: ${result.changed} GitOps resource links updated`,
        );
        await Promise.all(
          result.clusters.map(c => publisher.resourcesChanged(c)),
        );
      }
    },
  });

  await scheduler.scheduleTask({
    id: PRUNE_TASK,
    frequency: { hours: 1 },
    timeout: { minutes: 15 },
    initialDelay: { minutes: 1 },
    fn: async () => {
      const now = clock.now();
      await store.prune({
        historyBefore: now - config.statusHistoryRetentionMs,
        stagedPartsBefore: now - DAY_MS,
        sessionsBefore: now - 7 * DAY_MS,
      });
      await commandStore.prune(now - config.commandRetentionMs);
      await deployments.prune(now - config.historyRetentionMs);
    },
  });

  await scheduler.scheduleTask({
    id: COMMAND_EXPIRY_TASK,
    frequency: { seconds: 30 },
    timeout: { minutes: 1 },
    initialDelay: { seconds: 30 },
    fn: () => commands.expireDue(),
  });
}
