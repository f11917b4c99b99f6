/* eslint-disable no-script-url -- these tests feed hostile javascript: URLs on purpose */
import { screen, waitFor, within, fireEvent } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { GitOpsPage } from './GitOpsPage';
import { InMemoryGitOpsApi } from '../../__testUtils__/InMemoryGitOpsApi';
import { CLUSTERS, FLEET, resourceView } from '../../__testUtils__/fixtures';
import { renderGitOps } from '../../__testUtils__/renderGitOps';

// Rendering a full MUI table is slow on a busy machine; wait generously.
jest.setTimeout(60_000);

const LocationProbe = () => (
  <div data-testid="location">{useLocation().search}</div>
);

const rowOf = (name: string) => {
  const cell = screen.getByText(name, { selector: 'p' });
  return cell.closest('tr') as HTMLElement;
};

async function pick(label: string, option: RegExp) {
  fireEvent.mouseDown(
    screen.getByRole('button', { name: new RegExp(`^${label}`) }),
  );
  const listbox = await screen.findByRole('listbox');
  await userEvent.click(within(listbox).getByText(option));
  await userEvent.keyboard('{Escape}');
}

describe('GitOpsPage', () => {
  it('shows fleet totals and a sync-status breakdown', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(<GitOpsPage />, { api });

    expect(await screen.findByTestId('stat-total')).toHaveTextContent('4');
    expect(screen.getByTestId('stat-synced')).toHaveTextContent('2');
    expect(screen.getByTestId('stat-outOfSync')).toHaveTextContent('2');
    expect(screen.getByTestId('stat-failed')).toHaveTextContent('1');
    expect(screen.getByTestId('stat-suspended')).toHaveTextContent('1');
    expect(
      screen.getByRole('img', {
        name: /Sync status breakdown: Synced 2, Out of sync 2, Unknown 0/,
      }),
    ).toBeInTheDocument();
  });

  it('hints under the health of a blocked resource what blocks it, with the full line on hover', async () => {
    const blocked = resourceView({
      name: 'billing',
      tool: 'fluxcd',
      kind: 'Kustomization',
      healthStatus: 'Progressing',
      rootCause: {
        reason: 'dependencyNotReady',
        kind: 'Kustomization',
        namespace: 'flux-system',
        name: 'infra',
        message: 'health check failed',
      },
    });
    const api = new InMemoryGitOpsApi([...FLEET, blocked], CLUSTERS);
    await renderGitOps(<GitOpsPage />, { api });
    await screen.findByText('billing', { selector: 'p' });
    const hint = within(rowOf('billing')).getByText(
      'Blocked by: Kustomization flux-system/infra',
    );
    expect(hint).toHaveAttribute(
      'title',
      'Blocked by: Kustomization flux-system/infra — health check failed',
    );
    expect(
      within(rowOf('checkout-api')).queryByText(/Blocked by/),
    ).not.toBeInTheDocument();
  });

  it('renders each column: links only for http(s), short SHAs to commits, stale clusters marked', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(<GitOpsPage />, { api });
    await screen.findByText('checkout-api', { selector: 'p' });

    const checkout = within(rowOf('checkout-api'));
    expect(
      checkout.getByRole('link', { name: /github.com\/acme\/checkout-api/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/checkout-api.git');
    expect(checkout.getByRole('link', { name: /4f2c9e1/ })).toHaveAttribute(
      'href',
      'https://github.com/acme/checkout-api/commit/4f2c9e1d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d',
    );
    // The fixture synced 5 minutes before the module loaded; a slow run adds minutes.
    const synced = checkout.getByText(/^\d+ minutes ago$/);
    expect(synced).toHaveAttribute(
      'dateTime',
      FLEET.find(r => r.name === 'checkout-api')!.lastSyncedAt,
    );
    expect(
      checkout.getAllByRole('link').map(a => a.getAttribute('href')),
    ).toContain('/catalog/default/component/checkout-api');
    expect(checkout.getByText('by annotation')).toBeInTheDocument();

    const payments = within(rowOf('payments-worker'));
    expect(
      payments.getByRole('link', { name: /main@4f2c9e1/ }),
    ).toHaveAttribute(
      'href',
      'https://gitlab.com/acme/payments/-/commit/4f2c9e1d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d',
    );
    expect(
      payments.getByLabelText(/Drift: Reconciliation stuck/),
    ).toBeInTheDocument();
    expect(payments.getByText('Degraded')).toBeInTheDocument();

    const batch = within(rowOf('legacy-batch'));
    expect(
      batch.getByText('ssh://git@example.org/acme/batch.git'),
    ).toBeInTheDocument();
    expect(batch.queryByRole('link', { name: /example.org/ })).toBeNull();
    expect(batch.getByLabelText('cluster stale')).toBeInTheDocument();
    expect(batch.getByText('1.4.2')).toBeInTheDocument();
    expect(
      batch.getByRole('button', { name: 'Link legacy-batch' }),
    ).toHaveTextContent('Link…');
  });

  it('says a resource may be out of date when its agent cannot watch its kind', async () => {
    const fleet = FLEET.map(r =>
      r.name === 'payments-worker' ? { ...r, stale: true } : r,
    );
    const api = new InMemoryGitOpsApi(fleet, CLUSTERS);
    await renderGitOps(<GitOpsPage />, { api });
    await screen.findByText('payments-worker', { selector: 'p' });

    expect(
      within(rowOf('payments-worker')).getByText(
        'data may be out of date: the agent cannot watch Kustomization',
      ),
    ).toBeInTheDocument();
    expect(
      within(rowOf('checkout-api')).queryByText(/data may be out of date/),
    ).toBeNull();
  });

  it('marks a cluster whose last push was refused as failing, with the reason', async () => {
    const refused = CLUSTERS.map(c =>
      c.name === 'prod-us'
        ? {
            ...c,
            lastRefusedPush: {
              status: 400,
              message: 'upserts.0.syncStatus: Invalid enum value',
              at: new Date().toISOString(),
            },
          }
        : c,
    );
    const api = new InMemoryGitOpsApi(FLEET, refused);
    await renderGitOps(<GitOpsPage />, { api });
    await screen.findByText('payments-worker', { selector: 'p' });

    const payments = within(rowOf('payments-worker'));
    const chip = payments.getByLabelText('cluster failing');
    expect(chip).toHaveTextContent('failing');
    await userEvent.hover(chip);
    expect(
      await screen.findByText(/refused this cluster's last push \(HTTP 400/),
    ).toHaveTextContent('upserts.0.syncStatus: Invalid enum value');
    expect(
      within(rowOf('checkout-api')).queryByLabelText('cluster failing'),
    ).toBeNull();
  });

  it('applies a filter from the URL and writes filter changes back to it', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(
      <>
        <GitOpsPage />
        <LocationProbe />
      </>,
      { api, route: '/gitops?cluster=prod-us' },
    );

    await screen.findByText('payments-worker', { selector: 'p' });
    expect(screen.queryByText('checkout-api', { selector: 'p' })).toBeNull();
    expect(
      api.requests.find(r => r.method === 'listResources')?.args[0],
    ).toMatchObject({
      cluster: ['prod-us'],
    });

    await pick('Sync status', /^Synced/);
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        '?cluster=prod-us&syncStatus=Synced',
      ),
    );
    expect(
      await screen.findByText('No resources match these filters'),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getAllByRole('button', { name: 'Clear filters' })[0],
    );
    await screen.findByText('checkout-api', { selector: 'p' });
    expect(screen.getByTestId('location')).toHaveTextContent(/^$/);
  });

  it('narrows rows by text search', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(<GitOpsPage />, { api });
    await screen.findByText('checkout-api', { selector: 'p' });

    await userEvent.type(screen.getByLabelText('Search resources'), 'gitlab');
    await waitFor(() =>
      expect(screen.queryByText('checkout-api', { selector: 'p' })).toBeNull(),
    );
    expect(
      screen.getByText('payments-worker', { selector: 'p' }),
    ).toBeInTheDocument();
  });

  it('searches a short SHA as the applied revision: exactly the resources at that commit, with a chip and a shareable URL', async () => {
    const older = resourceView({
      name: 'search-indexer',
      revision: '0123456789abcdef0123456789abcdef01234567',
    });
    const api = new InMemoryGitOpsApi([...FLEET, older], CLUSTERS);
    await renderGitOps(
      <>
        <GitOpsPage />
        <LocationProbe />
      </>,
      { api },
    );
    await screen.findByText('search-indexer', { selector: 'p' });

    await userEvent.type(screen.getByLabelText('Search resources'), '4F2C9E1');
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        '?revision=4F2C9E1',
      ),
    );
    await waitFor(() =>
      expect(
        screen.queryByText('search-indexer', { selector: 'p' }),
      ).toBeNull(),
    );
    // ArgoCD's raw SHA and Flux's main@sha1:<sha> alike; the chart version is not a commit.
    for (const name of ['checkout-api', 'storefront', 'payments-worker']) {
      expect(screen.getByText(name, { selector: 'p' })).toBeInTheDocument();
    }
    expect(screen.queryByText('legacy-batch', { selector: 'p' })).toBeNull();
    expect(
      screen.getByRole('button', { name: 'revision 4F2C9E1' }),
    ).toBeInTheDocument();
    const request = api.requests.filter(r => r.method === 'listResources').pop()
      ?.args[0] as { q?: string; revision?: string };
    expect(request.revision).toBe('4F2C9E1');
    expect(request.q).toBeUndefined();
  });

  it('opens a shared revision link with its search, and the chip clears it', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(
      <>
        <GitOpsPage />
        <LocationProbe />
      </>,
      { api, route: '/gitops?revision=1.4.2&q=batch' },
    );
    await screen.findByText('legacy-batch', { selector: 'p' });
    expect(screen.queryByText('checkout-api', { selector: 'p' })).toBeNull();
    // A revision that is not a SHA is written with its prefix, so it reads back the same.
    expect(screen.getByLabelText('Search resources')).toHaveValue(
      'revision:1.4.2 batch',
    );

    const chip = screen.getByRole('button', { name: 'revision 1.4.2' });
    chip.focus();
    await userEvent.keyboard('{Backspace}');
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(/^\?q=batch$/),
    );
    expect(screen.getByLabelText('Search resources')).toHaveValue('batch');
    expect(screen.queryByRole('button', { name: /^revision / })).toBeNull();
    expect(
      screen.getByText('legacy-batch', { selector: 'p' }),
    ).toBeInTheDocument();
  });

  it('keeps words besides the revision as free text, ANDed with it', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(<GitOpsPage />, { api });
    await screen.findByText('checkout-api', { selector: 'p' });

    await userEvent.type(
      screen.getByLabelText('Search resources'),
      'gitlab 4f2c9e1d',
    );
    await waitFor(() =>
      expect(screen.queryByText('checkout-api', { selector: 'p' })).toBeNull(),
    );
    expect(
      screen.getByText('payments-worker', { selector: 'p' }),
    ).toBeInTheDocument();
    expect(
      api.requests.filter(r => r.method === 'listResources').pop()?.args[0],
    ).toMatchObject({ q: 'gitlab', revision: '4f2c9e1d' });
  });

  it('sorts and pages on the server', async () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      resourceView({ name: `app-${String(i).padStart(2, '0')}` }),
    );
    const api = new InMemoryGitOpsApi(many, CLUSTERS);
    await renderGitOps(<GitOpsPage />, { api });
    await screen.findByText('app-00', { selector: 'p' });
    expect(screen.getByText('1-25 of 30')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByText('app-25', { selector: 'p' });
    expect(screen.getByText('26-30 of 30')).toBeInTheDocument();
    expect(
      api.requests.filter(r => r.method === 'listResources').pop()?.args[0],
    ).toMatchObject({
      cursor: '25',
    });

    await userEvent.click(screen.getByRole('button', { name: 'Name' }));
    await screen.findByText('app-29', { selector: 'p' });
    expect(
      api.requests.filter(r => r.method === 'listResources').pop()?.args[0],
    ).toMatchObject({
      sort: '-name',
      cursor: null,
    });
  });

  it('tells an admin how to install the agent when nothing has reported', async () => {
    const api = new InMemoryGitOpsApi([], []);
    await renderGitOps(<GitOpsPage />, { api });
    expect(
      await screen.findByText('No GitOps resources yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Give the cluster's agent a credential/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/gitops-agent-prod/).length).toBeGreaterThan(0);
  });

  it('renders hostile strings from a cluster as inert text', async () => {
    const hostile = resourceView({
      name: '<img src=x onerror=alert(1)>',
      message: '<script>alert(1)</script>',
      source: { url: 'javascript:alert(1)', path: '<b>x</b>', chart: null },
      entityAnnotation: '<img src=x onerror=alert(1)>',
    });
    const api = new InMemoryGitOpsApi([hostile], CLUSTERS);
    const { container } = await renderGitOps(<GitOpsPage />, { api });

    expect(
      await screen.findByText('<img src=x onerror=alert(1)>', {
        selector: 'p',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('<script>alert(1)</script>')).toBeInTheDocument();
    expect(screen.getByText('javascript:alert(1)')).toBeInTheDocument();
    expect(container.querySelector('img[src="x"]')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    container.querySelectorAll('a[href]').forEach(a => {
      expect(a.getAttribute('href')).not.toMatch(/^\s*javascript:/i);
    });
  });
});
