import { ReactElement } from 'react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { configApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { EvaluatePermissionRequest } from '@backstage/plugin-permission-common';
import { gitopsApiRef } from '../api/GitOpsApi';
import { rootRouteRef } from '../routes';
import type { GitOpsApi } from '../api/GitOpsApi';

const catalogEntity = (kind: string, name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  // As the catalog's processors emit it for spec.owner.
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
});

export const CATALOG: Entity[] = [
  ...['checkout-api', 'storefront', 'payments-worker', 'search-indexer'].map(
    name => catalogEntity('Component', name),
  ),
  catalogEntity('API', 'orders-api'),
  catalogEntity('Group', 'orders-team'),
];

/** Renders a GitOps view in a legacy test app with the given backend and policy. */
export function renderGitOps(
  element: ReactElement,
  options: {
    api: GitOpsApi;
    authorize?: (
      request: EvaluatePermissionRequest,
    ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    route?: string;
    /** False when the element itself mounts the page route (legacy extensions). */
    mountPage?: boolean;
    /** App config the frontend reads (gitops.commands.allowOnNameMatch). */
    config?: object;
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
        [configApiRef, mockApis.config({ data: options.config ?? {} })],
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
