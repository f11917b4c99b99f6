import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { rootRouteRef } from './routes';

/** The GitOps plugin for the legacy frontend system. @public */
export const gitopsPlugin = createPlugin({
  id: 'gitops',
  routes: { root: rootRouteRef },
});

/** @public */
export const GitOpsPage = gitopsPlugin.provide(
  createRoutableExtension({
    name: 'GitOpsPage',
    component: () => import('./components/GitOpsPage').then(m => m.GitOpsPage),
    mountPoint: rootRouteRef,
  }),
);

/** @public */
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
