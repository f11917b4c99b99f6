import { ReactElement } from 'react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { EvaluatePermissionRequest } from '@backstage/plugin-permission-common';
import { gitopsApiRef } from '../api/GitOpsApi';
import { rootRouteRef } from '../routes';
import type { InMemoryGitOpsApi } from './InMemoryGitOpsApi';

export const CATALOG: Entity[] = [
  'checkout-api',
  'storefront',
  'payments-worker',
  'search-indexer',
].map(name => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
}));

/** Renders a GitOps view in a legacy test app with the given backend and policy. */
export function renderGitOps(
  element: ReactElement,
  options: {
    api: InMemoryGitOpsApi;
    authorize?: (
      request: EvaluatePermissionRequest,
    ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    route?: string;
    /** False when the element itself mounts the page route (legacy extensions). */
    mountPage?: boolean;
  },
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [gitopsApiRef, options.api],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: options.authorize ?? (() => AuthorizeResult.ALLOW),
          }),
        ],
        [catalogApiRef, catalogApiMock({ entities: CATALOG })],
      ]}
    >
      {element}
    </TestApiProvider>,
    {
      routeEntries: [options.route ?? '/gitops'],
      mountedRoutes: {
        ...(options.mountPage === false ? {} : { '/gitops': rootRouteRef }),
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}
