import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ResponseError } from '@backstage/errors';
import { GitOpsPage } from '../GitOpsPage';
import { InMemoryGitOpsApi } from '../../__testUtils__/InMemoryGitOpsApi';
import { CLUSTERS, FLEET } from '../../__testUtils__/fixtures';
import { renderGitOps } from '../../__testUtils__/renderGitOps';

jest.setTimeout(60_000);

const rowOf = (name: string) =>
  within(
    screen.getByText(name, { selector: 'p' }).closest('tr') as HTMLElement,
  );

describe('Sync and Refresh on the GitOps page', () => {
  it('are hidden from users without the command permission', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(<GitOpsPage />, {
      api,
      authorize: req =>
        req.permission.name === 'gitops.command.create'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    await screen.findByText('payments-worker', { selector: 'p' });
    // Link buttons show once permissions are answered; command buttons must not.
    await screen.findByRole('button', { name: 'Link legacy-batch' });
    for (const name of [
      'checkout-api',
      'storefront',
      'payments-worker',
      'legacy-batch',
    ]) {
      expect(screen.queryByRole('button', { name: `Sync ${name}` })).toBeNull();
      expect(
        screen.queryByRole('button', { name: `Refresh ${name}` }),
      ).toBeNull();
    }
  });

  it('are disabled with the reason on a resource linked only by name, unless allowOnNameMatch is set', async () => {
    const reason =
      'Linked only by name, which any catalog entity of that name could claim: Sync needs the shoehorn.dev/entity annotation or a manual link.';
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    const view = await renderGitOps(<GitOpsPage />, { api });
    await screen.findByText('storefront', { selector: 'p' });
    let row = rowOf('storefront');
    expect(
      await row.findByRole('button', { name: 'Sync storefront' }),
    ).toBeDisabled();
    expect(
      row.getByRole('button', { name: 'Refresh storefront' }),
    ).toBeDisabled();
    expect(row.getByTestId('sync-unavailable')).toHaveAttribute(
      'aria-label',
      reason,
    );
    view.unmount();

    await renderGitOps(<GitOpsPage />, {
      api: new InMemoryGitOpsApi(FLEET, CLUSTERS),
      config: { gitops: { commands: { allowOnNameMatch: true } } },
    });
    await screen.findByText('storefront', { selector: 'p' });
    row = rowOf('storefront');
    await row.findByRole('button', { name: 'Sync storefront' });
    // Allowed on a name match, only its read-only cluster still stands in the way.
    expect(row.getByTestId('sync-unavailable')).toHaveAttribute(
      'aria-label',
      'Cluster prod-eu is read-only: its agent has no ArgoCD token.',
    );
  });

  it('are disabled with the reason on a read-only cluster', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(<GitOpsPage />, { api });
    await screen.findByText('checkout-api', { selector: 'p' });

    const row = rowOf('checkout-api');
    expect(
      await row.findByRole('button', { name: 'Sync checkout-api' }),
    ).toBeDisabled();
    expect(
      row.getByRole('button', { name: 'Refresh checkout-api' }),
    ).toBeDisabled();
    expect(row.getByTestId('sync-unavailable')).toHaveAttribute(
      'aria-label',
      'Cluster prod-eu is read-only: its agent has no ArgoCD token.',
    );
    await userEvent.hover(row.getByTestId('sync-unavailable'));
    expect(
      await screen.findByRole('tooltip', { name: /prod-eu is read-only/ }),
    ).toBeInTheDocument();
  });

  it('are not offered on an unlinked resource, which has no entity to authorize on', async () => {
    const requests: Array<{ name: string; resourceRef?: string }> = [];
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(<GitOpsPage />, {
      api,
      authorize: req => {
        requests.push({
          name: req.permission.name,
          resourceRef: (req as any).resourceRef,
        });
        return AuthorizeResult.ALLOW;
      },
    });
    await screen.findByRole('button', { name: 'Sync payments-worker' });
    expect(
      screen.queryByRole('button', { name: 'Sync legacy-batch' }),
    ).toBeNull();
    // A resource permission without a resourceRef would fail the whole batch.
    expect(
      requests.filter(
        r => r.name === 'gitops.command.create' && !r.resourceRef,
      ),
    ).toEqual([]);
  });

  it('explain that a GitRepository has no Sync', async () => {
    const api = new InMemoryGitOpsApi(
      [{ ...FLEET[2], id: 'repo', name: 'shop-repo', kind: 'GitRepository' }],
      CLUSTERS,
    );
    await renderGitOps(<GitOpsPage />, { api });
    await screen.findByText('shop-repo', { selector: 'p' });
    expect(
      await screen.findByRole('button', { name: 'Sync shop-repo' }),
    ).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Refresh shop-repo' }),
    ).toBeEnabled();
  });

  it('show the command state from the click until it ends', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(<GitOpsPage />, { api });
    await screen.findByText('payments-worker', { selector: 'p' });

    const row = rowOf('payments-worker');
    await userEvent.click(
      await row.findByRole('button', { name: 'Sync payments-worker' }),
    );
    expect(await row.findByText('Sync queued…')).toBeInTheDocument();
    expect(
      row.getByRole('button', { name: 'Refresh payments-worker' }),
    ).toBeDisabled();
    expect(api.requests.find(r => r.method === 'createCommand')?.args).toEqual([
      'id-prod-us-payments-worker',
      { type: 'sync' },
    ]);

    // The agent reports back; without signals the page polls the command.
    api.finishCommand('cmd-1', 'succeeded', 'reconciled main@sha1:0123456');
    expect(
      await row.findByText(
        'Sync succeeded: reconciled main@sha1:0123456',
        {},
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    expect(
      row.getByRole('button', { name: 'Sync payments-worker' }),
    ).toBeEnabled();
  });

  it('show why the backend refused a command', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    api.commandError = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'ConflictError',
            message: 'cluster prod-us is read-only: its agent cannot run sync',
          },
          response: { statusCode: 409 },
        }),
        {
          status: 409,
          statusText: 'Conflict',
          headers: { 'Content-Type': 'application/json' },
        },
      ) as any,
    );
    await renderGitOps(<GitOpsPage />, { api });
    await screen.findByText('payments-worker', { selector: 'p' });
    await userEvent.click(
      await rowOf('payments-worker').findByRole('button', {
        name: 'Sync payments-worker',
      }),
    );
    expect(
      await screen.findByText(
        'Sync refused: cluster prod-us is read-only: its agent cannot run sync',
      ),
    ).toBeInTheDocument();
  });
});

describe('Suspend and Resume on the GitOps page', () => {
  /** The fixture clusters, every agent reporting the suspend capability. */
  const withSuspend = CLUSTERS.map(c => ({
    ...c,
    agents: c.agents.map(a => ({
      ...a,
      capabilities: { ...a.capabilities, suspend: true },
    })),
  }));
  const payments = FLEET[2];

  it('are not offered where the agent does not report the capability', async () => {
    await renderGitOps(<GitOpsPage />, {
      api: new InMemoryGitOpsApi(FLEET, CLUSTERS),
    });
    await screen.findByRole('button', { name: 'Sync payments-worker' });
    for (const name of ['payments-worker', 'checkout-api', 'storefront']) {
      expect(
        screen.queryByRole('button', { name: `Suspend ${name}` }),
      ).toBeNull();
      expect(
        screen.queryByRole('button', { name: `Resume ${name}` }),
      ).toBeNull();
    }
  });

  it('offer Suspend on a running Flux object and queue it, Resume on a suspended one, never on ArgoCD', async () => {
    const api = new InMemoryGitOpsApi(
      [
        ...FLEET,
        {
          ...payments,
          id: 'paused',
          name: 'paused-worker',
          suspended: true,
          healthStatus: 'Suspended',
        },
      ],
      withSuspend,
    );
    await renderGitOps(<GitOpsPage />, { api });
    await screen.findByText('paused-worker', { selector: 'p' });

    const paused = rowOf('paused-worker');
    expect(
      await paused.findByRole('button', { name: 'Resume paused-worker' }),
    ).toBeEnabled();
    expect(
      paused.queryByRole('button', { name: 'Suspend paused-worker' }),
    ).toBeNull();
    // An ArgoCD Application has no suspend, whatever its agent reports.
    await rowOf('checkout-api').findByRole('button', {
      name: 'Sync checkout-api',
    });
    expect(
      screen.queryByRole('button', { name: 'Suspend checkout-api' }),
    ).toBeNull();

    const row = rowOf('payments-worker');
    expect(
      row.queryByRole('button', { name: 'Resume payments-worker' }),
    ).toBeNull();
    await userEvent.click(
      row.getByRole('button', { name: 'Suspend payments-worker' }),
    );
    expect(await row.findByText('Suspend queued…')).toBeInTheDocument();
    expect(api.requests.find(r => r.method === 'createCommand')?.args).toEqual([
      'id-prod-us-payments-worker',
      { type: 'suspend' },
    ]);
  });

  it('are disabled with the reason commandAvailability gives', async () => {
    const api = new InMemoryGitOpsApi(
      [
        {
          ...payments,
          id: 'by-name',
          name: 'by-name-worker',
          link: {
            status: 'name',
            entityRef: 'component:default/by-name-worker',
            candidates: [],
          },
        },
      ],
      withSuspend,
    );
    await renderGitOps(<GitOpsPage />, { api });
    await screen.findByText('by-name-worker', { selector: 'p' });
    const row = rowOf('by-name-worker');
    expect(
      await row.findByRole('button', { name: 'Suspend by-name-worker' }),
    ).toBeDisabled();
    expect(row.getByTestId('suspend-unavailable')).toHaveAttribute(
      'aria-label',
      'Linked only by name, which any catalog entity of that name could claim: Suspend needs the shoehorn.dev/entity annotation or a manual link.',
    );
  });
});
