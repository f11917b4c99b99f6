import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { EntityGitOpsContent } from './EntityGitOpsContent';
import { EntityGitOpsCard } from '../EntityGitOpsCard';
import { InMemoryGitOpsApi } from '../../__testUtils__/InMemoryGitOpsApi';
import { CLUSTERS, FLEET, resourceView } from '../../__testUtils__/fixtures';
import { renderGitOps } from '../../__testUtils__/renderGitOps';

jest.setTimeout(60_000);

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
});

describe('EntityGitOpsContent (Operations tab)', () => {
  it('shows sync, health, source, revision, drift, actions and history of each linked resource', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(
      <EntityProvider entity={component('payments-worker')}>
        <EntityGitOpsContent />
      </EntityProvider>,
      { api, route: '/catalog/default/component/payments-worker/operations' },
    );

    // One row per resource leads; its details open on demand.
    const table = await screen.findByRole('table', {
      name: 'GitOps resources of this entity',
    });
    expect(screen.queryByText(/Kustomization · FluxCD/)).toBeNull();
    expect(
      within(table).getByRole('button', { name: 'Sync payments-worker' }),
    ).toBeEnabled();
    await userEvent.click(
      within(table).getByRole('button', { name: 'Details of payments-worker' }),
    );
    expect(
      await screen.findByText('Kustomization · FluxCD · prod-us / flux-system'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('Out of sync').length).toBeGreaterThan(0);
    expect(screen.getAllByText('Degraded').length).toBeGreaterThan(0);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Drift detected.');
    expect(alert).toHaveTextContent('Reconciliation stuck');
    expect(
      within(table).getByRole('link', { name: /gitlab.com\/acme\/payments/ }),
    ).toBeInTheDocument();
    expect(
      screen.getAllByRole('link', { name: /main@4f2c9e1/ })[0],
    ).toHaveAttribute(
      'href',
      'https://gitlab.com/acme/payments/-/commit/4f2c9e1d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d',
    );
    expect(
      await screen.findByRole('button', { name: 'Sync payments-worker' }),
    ).toBeEnabled();
    const history = await screen.findByRole('table', {
      name: 'Status history of payments-worker',
    });
    expect(within(history).getAllByRole('row')).toHaveLength(2);
    expect(
      screen.getByText('No Sync or Refresh requested yet.'),
    ).toBeInTheDocument();
  });

  it('says per cluster which revision of which repository runs, and when a cluster runs mixed revisions', async () => {
    const SHA = '4f2c9e1d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d';
    const shop = {
      status: 'annotation' as const,
      entityRef: 'component:default/shop',
      candidates: [],
    };
    const repo = {
      url: 'https://github.com/acme/shop.git',
      path: 'deploy',
      chart: null,
    };
    const api = new InMemoryGitOpsApi(
      [
        ...FLEET,
        resourceView({
          name: 'shop',
          cluster: 'prod-eu',
          link: shop,
          source: repo,
        }),
        resourceView({
          name: 'shop-cron',
          cluster: 'prod-eu',
          link: shop,
          source: repo,
          revision: '0123456789abcdef0123456789abcdef01234567',
        }),
        resourceView({
          name: 'shop',
          cluster: 'prod-us',
          tool: 'fluxcd',
          kind: 'Kustomization',
          link: shop,
          source: repo,
          revision: `main@sha1:${SHA}`,
        }),
      ],
      CLUSTERS,
    );
    await renderGitOps(
      <EntityProvider entity={component('shop')}>
        <EntityGitOpsContent />
      </EntityProvider>,
      { api },
    );

    const summary = await screen.findByRole('table', {
      name: 'Revisions by cluster',
    });
    const line = (cluster: string) =>
      within(within(summary).getByText(cluster).closest('tr') as HTMLElement);
    const revisionsOf = (cluster: string) =>
      line(cluster)
        .getAllByRole('link', { name: /^\S*[0-9a-f]{7}\b/ })
        .map(a => a.getAttribute('href'));
    expect(revisionsOf('prod-us')).toEqual([
      `https://github.com/acme/shop/commit/${SHA}`,
    ]);
    expect(
      line('prod-us').getByRole('link', { name: /^main@4f2c9e1/ }),
    ).toBeInTheDocument();
    expect(
      line('prod-us').getByRole('link', { name: /^github.com\/acme\/shop/ }),
    ).toBeInTheDocument();
    expect(line('prod-us').getByText('1 resource')).toHaveAttribute(
      'title',
      'shop',
    );
    expect(line('prod-us').queryByText('mixed revisions')).toBeNull();

    expect(line('prod-eu').getByText('mixed revisions')).toBeInTheDocument();
    expect(revisionsOf('prod-eu')).toEqual([
      `https://github.com/acme/shop/commit/${SHA}`,
      'https://github.com/acme/shop/commit/0123456789abcdef0123456789abcdef01234567',
    ]);
    expect(within(summary).getAllByRole('row')).toHaveLength(3);
  });

  it('says in one line at the top what blocks a resource, and nothing when nothing does', async () => {
    const blocked = resourceView({
      name: 'billing',
      tool: 'fluxcd',
      kind: 'Kustomization',
      namespace: 'flux-system',
      link: {
        status: 'name',
        entityRef: 'component:default/billing',
        candidates: [],
      },
      rootCause: {
        reason: 'sourceNotReady',
        kind: 'GitRepository',
        namespace: 'flux-system',
        name: 'fleet-infra',
        message: 'authentication failed',
      },
    });
    const api = new InMemoryGitOpsApi([...FLEET, blocked], CLUSTERS);
    await renderGitOps(
      <EntityProvider entity={component('billing')}>
        <EntityGitOpsContent />
      </EntityProvider>,
      { api },
    );
    expect(
      await screen.findByRole('status', { name: 'Root cause' }),
    ).toHaveTextContent(
      'Blocked by: GitRepository flux-system/fleet-infra — authentication failed',
    );
  });

  it('shows no root cause for a resource nothing blocks', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(
      <EntityProvider entity={component('payments-worker')}>
        <EntityGitOpsContent />
      </EntityProvider>,
      { api },
    );
    expect(
      await screen.findByRole('button', { name: 'Sync payments-worker' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Blocked by/)).not.toBeInTheDocument();
  });

  it('explains a read-only cluster: on the disabled buttons of the row, and as text in the details', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(
      <EntityProvider entity={component('checkout-api')}>
        <EntityGitOpsContent />
      </EntityProvider>,
      { api },
    );
    expect(
      await screen.findByRole('button', { name: 'Sync checkout-api' }),
    ).toBeDisabled();
    expect(screen.getByTestId('sync-unavailable')).toHaveAttribute(
      'aria-label',
      'Cluster prod-eu is read-only: its agent has no ArgoCD token.',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Details of checkout-api' }),
    );
    expect(
      await screen.findByText(
        'Cluster prod-eu is read-only: its agent has no ArgoCD token.',
        {
          selector: 'span',
        },
      ),
    ).toBeInTheDocument();
  });

  it('shows how to link when nothing is linked, with a copyable annotation', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(
      <EntityProvider entity={component('search-indexer')}>
        <EntityGitOpsContent />
      </EntityProvider>,
      { api },
    );
    expect(
      await screen.findByText('No GitOps resources linked'),
    ).toBeInTheDocument();
    expect(document.body).toHaveTextContent(
      'shoehorn.dev/entity: search-indexer',
    );
    expect(screen.getByRole('button', { name: /copy/i })).toBeInTheDocument();
  });
});

describe('EntityGitOpsCard', () => {
  it('summarises each linked resource', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(
      <EntityProvider entity={component('storefront')}>
        <EntityGitOpsCard />
      </EntityProvider>,
      { api },
    );
    expect(await screen.findByText('storefront')).toBeInTheDocument();
    expect(screen.getByText('prod-eu / argocd')).toBeInTheDocument();
    expect(screen.getByText('Out of sync')).toBeInTheDocument();
    expect(
      screen.getByLabelText(/Drift: Live state differs/),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /4f2c9e1/ })).toBeInTheDocument();
  });

  it('says how to link when nothing is linked', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(
      <EntityProvider entity={component('search-indexer')}>
        <EntityGitOpsCard />
      </EntityProvider>,
      { api },
    );
    expect(
      await screen.findByText('shoehorn.dev/entity: search-indexer'),
    ).toBeInTheDocument();
  });
});
