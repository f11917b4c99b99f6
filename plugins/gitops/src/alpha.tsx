import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import CallSplitIcon from '@material-ui/icons/CallSplit';
import { gitopsApiRef, GitOpsClient } from './api';
import { isGitOpsAvailable } from './isGitOpsAvailable';
import { rootRouteRef } from './routes';

const gitopsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: gitopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GitOpsClient({ discoveryApi, fetchApi }),
    }),
});

// In this frontend-plugin-api version a page's title and icon make its nav item.
const gitopsPage = PageBlueprint.make({
  params: {
    path: '/gitops',
    title: 'GitOps',
    icon: <CallSplitIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () => import('./components/GitOpsPage').then(m => <m.GitOpsPage />),
  },
});

const entityOperationsContent = EntityContentBlueprint.make({
  name: 'operations',
  params: {
    path: '/operations',
    title: 'Operations',
    filter: isGitOpsAvailable,
    loader: () =>
      import('./components/EntityGitOpsContent').then(m => (
        <m.EntityGitOpsContent />
      )),
  },
});

const entityGitOpsCard = EntityCardBlueprint.make({
  name: 'summary',
  params: {
    filter: isGitOpsAvailable,
    loader: () =>
      import('./components/EntityGitOpsCard').then(m => <m.EntityGitOpsCard />),
  },
});

/** The GitOps plugin for the new frontend system. @alpha */
export default createFrontendPlugin({
  pluginId: 'gitops',
  title: 'GitOps',
  icon: <CallSplitIcon />,
  routes: { root: rootRouteRef },
  extensions: [
    gitopsApi,
    gitopsPage,
    entityOperationsContent,
    entityGitOpsCard,
  ],
});
