import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { gitopsApiRef, GitOpsClient } from './api';
import { rootRouteRef } from './routes';

/** The GitOps plugin for the legacy frontend system. @public */
export const gitopsPlugin = createPlugin({
  id: 'gitops',
  routes: { root: rootRouteRef },
  apis: [
    createApiFactory({
      api: gitopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GitOpsClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/** The fleet-wide GitOps page. @public */
export const GitOpsPage = gitopsPlugin.provide(
  createRoutableExtension({
    name: 'GitOpsPage',
    component: () => import('./components/GitOpsPage').then(m => m.GitOpsPage),
    mountPoint: rootRouteRef,
  }),
);

/** The Operations tab of an entity page. @public */
export const EntityGitOpsContent = gitopsPlugin.provide(
  createComponentExtension({
    name: 'EntityGitOpsContent',
    component: {
      lazy: () =>
        import('./components/EntityGitOpsContent').then(
          m => m.EntityGitOpsContent,
        ),
    },
  }),
);

/** A GitOps summary card for an entity's overview. @public */
export const EntityGitOpsCard = gitopsPlugin.provide(
  createComponentExtension({
    name: 'EntityGitOpsCard',
    component: {
      lazy: () =>
        import('./components/EntityGitOpsCard').then(m => m.EntityGitOpsCard),
    },
  }),
);
