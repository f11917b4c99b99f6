import { screen } from '@testing-library/react';
import { renderTestApp, mockApis } from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import gitopsPlugin from './alpha';
import { gitopsApiRef } from './api';
import { InMemoryGitOpsApi } from './__testUtils__/InMemoryGitOpsApi';
import { CLUSTERS, FLEET } from './__testUtils__/fixtures';
import { CATALOG } from './__testUtils__/renderGitOps';

jest.setTimeout(60_000);

describe('new frontend system plugin', () => {
  it('declares the page, Operations tab, card and API extensions', () => {
    expect(gitopsPlugin.pluginId).toBe('gitops');
    expect(gitopsPlugin.getExtension('page:gitops')).toBeDefined();
    expect(
      gitopsPlugin.getExtension('entity-content:gitops/operations'),
    ).toBeDefined();
    expect(
      gitopsPlugin.getExtension('entity-card:gitops/summary'),
    ).toBeDefined();
    expect(gitopsPlugin.getExtension('api:gitops')).toBeDefined();
  });

  it('serves the GitOps page at /gitops with the filter from the URL', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    renderTestApp({
      features: [gitopsPlugin],
      apis: [
        [gitopsApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
        [catalogApiRef, catalogApiMock({ entities: CATALOG })],
      ],
      initialRouteEntries: ['/gitops?cluster=prod-us'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      // The catalog plugin that hosts entity tabs and cards is not part of this app.
      isExpectedError: error =>
        /entity-(content|card):gitops/.test(
          JSON.stringify(error.context ?? {}),
        ),
    });
    expect(
      await screen.findByText('payments-worker', { selector: 'p' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('checkout-api', { selector: 'p' })).toBeNull();
    expect(screen.getByTestId('stat-total')).toHaveTextContent('4');
  });
});
