import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { gitopsPermissions } from '@shoehorn/plugin-gitops-common';
import { CommandNotifier } from './commands/CommandNotifier';
import { CommandQueue } from './commands/CommandQueue';
import { DatabaseCommandStore } from './commands/DatabaseCommandStore';
import { DatabaseGitOpsStore } from './database/DatabaseGitOpsStore';
import { DeploymentStore } from './history/DeploymentStore';
import { EntityLinker } from './linking/EntityLinker';
import { ChangePublisher } from './service/ChangePublisher';
import { gitopsClockServiceRef } from './service/clock';
import { readGitOpsConfig } from './service/config';
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
        cache: coreServices.cache,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        clock: gitopsClockServiceRef,
      },
      async init(deps) {
        const { logger, httpRouter, cache, clock } = deps;
        const config = readGitOpsConfig(deps.config);
        deps.permissionsRegistry.addPermissions(gitopsPermissions);

        const store = await DatabaseGitOpsStore.create({
          database: deps.database,
        });
        const client = await deps.database.getClient();
        const commandStore = new DatabaseCommandStore(client);
        const deployments = new DeploymentStore(client);
        const publisher = new ChangePublisher(deps.signals, logger);
        const linker = new EntityLinker({
          catalog: deps.catalog,
          auth: deps.auth,
          logger,
        });
        const commands = new CommandQueue({
          store: commandStore,
          notifier: new CommandNotifier(),
          publisher,
          clock,
          ttlMs: config.commandTtlMs,
          leaseMs: config.commandLeaseMs,
          pollIntervalMs: config.commandPollIntervalMs,
        });
        const stats = new StatsCache(cache, async tenant =>
          statsFromCounts(await store.getStatusCounts(tenant), clock.now()),
        );

        await scheduleGitOpsTasks({
          scheduler: deps.scheduler,
          logger,
          config,
          clock,
          store,
          commandStore,
          deployments,
          commands,
          linker,
          publisher,
        });

        httpRouter.use(
          await createRouter({
            config,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            catalog: deps.catalog,
            store,
            deployments,
            commands,
            linker,
            stats,
            publisher,
            clock,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
