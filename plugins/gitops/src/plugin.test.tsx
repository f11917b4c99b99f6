import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  EntityGitOpsCard,
  EntityGitOpsContent,
  gitopsPlugin,
  GitOpsPage,
  isGitOpsAvailable,
} from './index';
import { InMemoryGitOpsApi } from './__testUtils__/InMemoryGitOpsApi';
import { CLUSTERS, FLEET } from './__testUtils__/fixtures';
import { renderGitOps } from './__testUtils__/renderGitOps';

jest.setTimeout(60_000);

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-api', namespace: 'default' },
};

describe('legacy frontend system exports', () => {
  it('declares the plugin with its API', () => {
    expect(gitopsPlugin.getId()).toBe('gitops');
    expect([...gitopsPlugin.getApis()].map(a => a.api.id)).toEqual([
      'plugin.gitops.service',
    ]);
  });

  it('renders the routable page extension', async () => {
    await renderGitOps(
      <Routes>
        <Route path="/gitops" element={<GitOpsPage />} />
      </Routes>,
      { api: new InMemoryGitOpsApi(FLEET, CLUSTERS), mountPage: false },
    );
    expect(await screen.findByText('Fleet status')).toBeInTheDocument();
    expect(
      screen.getByText('checkout-api', { selector: 'p' }),
    ).toBeInTheDocument();
  });

  it('renders the entity content and card extensions', async () => {
    await renderGitOps(
      <EntityProvider entity={entity}>
        <EntityGitOpsContent />
        <EntityGitOpsCard />
      </EntityProvider>,
      { api: new InMemoryGitOpsApi(FLEET, CLUSTERS) },
    );
    expect(await screen.findByText('GitOps')).toBeInTheDocument();
    const table = await screen.findByRole('table', {
      name: 'GitOps resources of this entity',
    });
    const row = within(table).getByText('checkout-api').closest('tr')!;
    expect(within(row).getByText('Application')).toBeInTheDocument();
    expect(within(row).getByText('prod-eu')).toBeInTheDocument();
  });

  it('offers the Operations tab for deployable kinds only', () => {
    expect(isGitOpsAvailable(entity)).toBe(true);
    expect(isGitOpsAvailable({ ...entity, kind: 'Resource' })).toBe(true);
    // API entities are linked by name like the others, so they get the tab too.
    expect(isGitOpsAvailable({ ...entity, kind: 'API' })).toBe(true);
    expect(isGitOpsAvailable({ ...entity, kind: 'User' })).toBe(false);
    expect(isGitOpsAvailable({ ...entity, kind: 'Group' })).toBe(false);
  });
});
