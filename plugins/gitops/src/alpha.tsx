import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import CallSplitIcon from '@material-ui/icons/CallSplit';
import { rootRouteRef } from './routes';

const gitopsPage = PageBlueprint.make({
  params: {
    path: '/gitops',
    title: 'GitOps',
    icon: <CallSplitIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/GitOpsPage').then(m => <m.GitOpsPage />),
  },
});

const entityOperationsContent = EntityContentBlueprint.make({
  name: 'operations',
  params: {
    path: '/operations',
    title: 'Operations',
    loader: () =>
      import('./components/EntityGitOpsContent').then(m => (
        <m.EntityGitOpsContent />
      )),
  },
});

/** The GitOps plugin for the new frontend system. @alpha */
export default createFrontendPlugin({
  pluginId: 'gitops',
  routes: { root: rootRouteRef },
  extensions: [gitopsPage, entityOperationsContent],
});
