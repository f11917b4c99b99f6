import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { gitopsPermissions } from '@shoehorn/plugin-gitops-common';
import { registerGitOpsActions } from './actions/registerGitOpsActions';
import { CommandNotifier } from './commands/CommandNotifier';
import { CommandQueue } from './commands/CommandQueue';
import { CommandRequester } from './commands/CommandRequester';
import { PostgresWakeupChannel } from './commands/PostgresWakeupChannel';
import { isPostgres } from './database/batches';
import { GitOpsDatabase } from './database/GitOpsDatabase';
import { EntityLinker } from './linking/EntityLinker';
import { LinkRequester } from './linking/LinkRequester';
import { setUpNotifications } from './notifications/setUpNotifications';
import { ChangePublisher } from './service/ChangePublisher';
import { gitopsClockServiceRef } from './service/clock';
import { readGitOpsConfig } from './service/config';
import { installProblems } from './service/installCheck';
import { IngestService } from './service/IngestService';
import { createRouter } from './service/router';
import { StatsCache, statsFromCounts } from './service/StatsCache';
import { scheduleGitOpsTasks } from './service/tasks';

/**
 * The GitOps backend plugin.
 *
 * @public
 */
export const gitopsPlugin = createBackendPlugin({
  pluginId: 'gitops',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        cache: coreServices.cache,
        auditor: coreServices.auditor,
        actionsRegistry: actionsRegistryServiceRef,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
        clock: gitopsClockServiceRef,
      },
      async init(deps) {
        const { logger, httpRouter, cache, clock } = deps;
        const config = readGitOpsConfig(deps.config);
        installProblems(deps.config).forEach(problem => logger.warn(problem));
        deps.permissionsRegistry.addPermissions(gitopsPermissions);

        const db = await GitOpsDatabase.create({ database: deps.database });
        const stats = new StatsCache(cache, async tenant =>
          statsFromCounts(await db.resources.statusCounts(tenant), clock.now()),
        );
        const publisher = new ChangePublisher({
          signals: deps.signals,
          logger,
          intervalMs: config.changeNoticeIntervalMs,
          slots: db.noticeSlots,
          stats,
        });
        const linker = new EntityLinker({
          catalog: deps.catalog,
          auth: deps.auth,
          logger,
          nameMatch: config.nameMatchNamespaces,
        });
        const notifications = await setUpNotifications({
          config: deps.config,
          tenant: config.userTenant,
          knex: await deps.database.getClient(),
          db,
          scheduler: deps.scheduler,
          notifications: deps.notifications,
          catalog: deps.catalog,
          auth: deps.auth,
          logger,
          clock,
        });
        const knex = await deps.database.getClient();
        // SQLite is one process: its wake-ups need no channel.
        const notifier = new CommandNotifier(
          isPostgres(knex)
            ? new PostgresWakeupChannel(knex, logger)
            : undefined,
        );
        await notifier.start();
        const commands = new CommandQueue({
          store: db.commands,
          notifier,
          publisher,
          clock,
          ttlMs: config.commandTtlMs,
          leaseMs: config.commandLeaseMs,
          linkPolicy: { allowOnNameMatch: config.allowCommandsOnNameMatch },
          onFinished: notifications.onCommandFinished,
        });
        const safetyPoll = setInterval(() => {
          commands
            .wakeWaitingPolls()
            .catch(error =>
              logger.warn(`Command safety poll failed: ${error}`),
            );
        }, config.commandPollIntervalMs);
        safetyPoll.unref();
        const ingest = new IngestService({
          db,
          linker,
          publisher,
          clock,
          staging: config.staging,
        });

        const commandRequester = new CommandRequester({
          tenant: config.userTenant,
          db,
          commands,
          permissions: deps.permissions,
          auditor: deps.auditor,
          auth: deps.auth,
        });
        const linkRequester = new LinkRequester({
          tenant: config.userTenant,
          db,
          ingest,
          catalog: deps.catalog,
          permissions: deps.permissions,
          auditor: deps.auditor,
        });
        registerGitOpsActions({
          actionsRegistry: deps.actionsRegistry,
          permissions: deps.permissions,
          db,
          commandRequester,
          clock,
          tenant: config.userTenant,
        });

        // Heartbeats and change notices still buffered go out before the process ends.
        deps.lifecycle.addShutdownHook(async () => {
          clearInterval(safetyPoll);
          await notifier.stop();
          await db.clusters.flushLastSeen();
          await publisher.flush();
        });
        await scheduleGitOpsTasks({
          scheduler: deps.scheduler,
          logger,
          config,
          clock,
          db,
          commands,
          ingest,
        });

        httpRouter.use(
          await createRouter({
            config,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            commandRequester,
            linkRequester,
            catalog: deps.catalog,
            db,
            ingest,
            commands,
            stats,
            clock,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
