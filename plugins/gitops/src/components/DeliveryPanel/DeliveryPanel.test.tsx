import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import type {
  DeliveryMetricsResponse,
  DeploymentView,
} from '@shoehorn/plugin-gitops-common';
import { EntityGitOpsContent } from '../EntityGitOpsContent';
import { InMemoryGitOpsApi } from '../../__testUtils__/InMemoryGitOpsApi';
import { CLUSTERS, FLEET } from '../../__testUtils__/fixtures';
import { renderGitOps } from '../../__testUtils__/renderGitOps';

jest.setTimeout(60_000);

const SHA_A = '1111111111111111111111111111111111111111';
const SHA_B = '2222222222222222222222222222222222222222';

const storefront: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'storefront', namespace: 'default' },
  spec: {},
};

const deployment = (
  i: number,
  overrides: Partial<DeploymentView> = {},
): DeploymentView => ({
  id: String(i),
  resourceId: 'r1',
  cluster: 'prod-eu',
  kind: 'Application',
  namespace: 'argocd',
  name: 'storefront',
  entityRef: 'component:default/storefront',
  sourceUrl: 'https://bitbucket.org/acme/storefront.git',
  fromRevision: SHA_A,
  toRevision: SHA_B,
  startedAt: '2026-03-30T10:00:00Z',
  endedAt: '2026-03-30T10:02:05Z',
  outcome: 'succeeded',
  ...overrides,
});

const metrics: DeliveryMetricsResponse = {
  computedAt: '2026-03-31T00:00:00Z',
  failureWindowMs: 3_600_000,
  windows: [7, 30, 90].map(windowDays => ({
    windowDays,
    deployments: 12,
    deploymentsPerDay: 12 / windowDays,
    failedDeployments: 3,
    changeFailureRate: 0.25,
    restores: 2,
    meanTimeToRestoreMs: 2 * 3_600_000 + 5 * 60_000,
    outOfSyncMs: 40_000,
  })),
  daily: Array.from({ length: 30 }, (_, i) => ({
    day: `2026-03-${String(i + 2).padStart(2, '0')}`,
    deployments: i % 3,
    failed: i % 6 === 5 ? 1 : 0,
  })),
};

describe('DeliveryPanel on the Operations tab', () => {
  it('shows the metrics, a chart and the deployment history with commit links', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    api.deployments.set('component:default/storefront', [
      deployment(12, { outcome: null, endedAt: null }),
      deployment(11, { outcome: 'failed' }),
      ...Array.from({ length: 10 }, (_, i) => deployment(10 - i)),
    ]);
    api.metrics.set('component:default/storefront', metrics);
    await renderGitOps(
      <EntityProvider entity={storefront}>
        <EntityGitOpsContent />
      </EntityProvider>,
      { api },
    );
    // Closed at first: the Operations tab leads with the resource table.
    expect(
      screen.queryByRole('table', { name: 'Delivery metrics' }),
    ).toBeNull();
    await userEvent.click(
      await screen.findByRole('button', { name: /Delivery/ }),
    );

    const table = await screen.findByRole('table', {
      name: 'Delivery metrics',
    });
    const row = (name: string) =>
      within(table).getByText(name).closest('tr')!.textContent;
    expect(row('Change failure rate')).toBe('Change failure rate25 %25 %25 %');
    expect(row('Time to restore')).toContain('2 h 5 min');
    expect(row('Time out of sync')).toContain('40 s');
    const chart = screen.getByRole('figure', { name: 'Deployments per day' });
    expect(chart.querySelector('svg.recharts-surface')).not.toBeNull();

    const history = screen.getByRole('table', { name: 'Deployment history' });
    const rows = within(history).getAllByRole('row');
    expect(rows).toHaveLength(11);
    expect(rows[1]).toHaveTextContent('In progress');
    expect(rows[2]).toHaveTextContent('Failed');
    expect(rows[3]).toHaveTextContent('2 min 5 s');
    expect(
      within(rows[3])
        .getAllByRole('link')
        .map(a => a.getAttribute('href')),
    ).toEqual([
      `https://bitbucket.org/acme/storefront/commits/${SHA_A}`,
      `https://bitbucket.org/acme/storefront/commits/${SHA_B}`,
    ]);

    await userEvent.click(screen.getByRole('button', { name: 'Show all 12' }));
    expect(within(history).getAllByRole('row')).toHaveLength(13);
  });

  it('says when nothing was deployed yet', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(
      <EntityProvider entity={storefront}>
        <EntityGitOpsContent />
      </EntityProvider>,
      { api },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: /Delivery/ }),
    );
    expect(
      await screen.findByText(/No deployments recorded yet/),
    ).toBeInTheDocument();
  });
});
