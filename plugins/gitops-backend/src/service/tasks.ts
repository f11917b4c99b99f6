import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import type { CommandQueue } from '../commands/CommandQueue';
import type { GitOpsDatabase } from '../database/GitOpsDatabase';
import type { GitOpsClock } from './clock';
import type { GitOpsConfig } from './config';
import type { IngestService } from './IngestService';

export const CATALOG_RELINK_TASK = 'gitops-catalog-relink';
export const PRUNE_TASK = 'gitops-prune';
export const COMMAND_EXPIRY_TASK = 'gitops-command-expiry';
export const LAST_SEEN_FLUSH_TASK = 'gitops-last-seen-flush';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Background work: relinking after catalog changes, retention, command expiry. */
export async function scheduleGitOpsTasks(deps: {
  scheduler: SchedulerService;
  logger: LoggerService;
  config: GitOpsConfig;
  clock: GitOpsClock;
  db: GitOpsDatabase;
  commands: CommandQueue;
  ingest: IngestService;
}) {
  const { scheduler, logger, config, clock, db, commands, ingest } = deps;

  // Local: every replica keeps its own catalog index, used when pushes are linked.
  await scheduler.scheduleTask({
    id: CATALOG_RELINK_TASK,
    scope: 'local',
    frequency: { milliseconds: config.catalogRefreshIntervalMs },
    timeout: { minutes: 15 },
    initialDelay: { seconds: 10 },
    fn: async () => {
      const changed = await ingest.relinkFromCatalog();
      if (changed > 0) {
        logger.info(
          `Catalog changed: ${changed} GitOps resource links updated`,
        );
      }
    },
  });

  // Local: each replica writes the heartbeats it received, all in one transaction.
  await scheduler.scheduleTask({
    id: LAST_SEEN_FLUSH_TASK,
    scope: 'local',
    frequency: { milliseconds: config.lastSeenFlushIntervalMs },
    timeout: { minutes: 1 },
    fn: async () => {
      await db.clusters.flushLastSeen();
    },
  });

  await scheduler.scheduleTask({
    id: PRUNE_TASK,
    frequency: { hours: 1 },
    timeout: { minutes: 15 },
    initialDelay: { minutes: 1 },
    fn: async () => {
      const now = clock.now();
      await db.resources.pruneHistory(now - config.statusHistoryRetentionMs);
      await db.ingest.prune({
        stagedPartsBefore: now - DAY_MS,
        sessionsBefore: now - 7 * DAY_MS,
      });
      await db.commands.prune(now - config.commandRetentionMs);
      await db.deployments.prune(now - config.historyRetentionMs);
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
