import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GitOpsPage } from '../GitOpsPage';
import { InMemoryGitOpsApi } from '../../__testUtils__/InMemoryGitOpsApi';
import { CLUSTERS, FLEET } from '../../__testUtils__/fixtures';
import { renderGitOps } from '../../__testUtils__/renderGitOps';

jest.setTimeout(60_000);

const rowOf = (name: string) =>
  within(
    screen.getByText(name, { selector: 'p' }).closest('tr') as HTMLElement,
  );

describe('manual linking', () => {
  it('links a resource to an entity picked from the catalog, then unlinks it', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(<GitOpsPage />, { api });
    await screen.findByText('legacy-batch', { selector: 'p' });

    await userEvent.click(
      await rowOf('legacy-batch').findByRole('button', {
        name: 'Link legacy-batch',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('button', { name: 'Link' })).toBeDisabled();

    await userEvent.type(
      within(dialog).getByLabelText('Catalog entity'),
      'search',
    );
    await userEvent.click(
      await screen.findByText('component:default/search-indexer'),
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Link' }));

    expect(api.requests.find(r => r.method === 'linkResource')?.args).toEqual([
      'id-edge-lab-legacy-batch',
      'component:default/search-indexer',
    ]);
    expect(
      await rowOf('legacy-batch').findByText('manually'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).toBeNull();

    await userEvent.click(
      rowOf('legacy-batch').getByRole('button', {
        name: 'Unlink legacy-batch',
      }),
    );
    expect(
      await rowOf('legacy-batch').findByText('unlinked'),
    ).toBeInTheDocument();
    expect(api.requests.some(r => r.method === 'unlinkResource')).toBe(true);
  });

  it('offers API entities but not other kinds such as groups', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(<GitOpsPage />, { api });
    await userEvent.click(
      await rowOf('legacy-batch').findByRole('button', {
        name: 'Link legacy-batch',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText('Catalog entity'),
      'orders',
    );
    const option = await screen.findByText('api:default/orders-api');
    // The listbox is open with what the catalog search returned: no Group.
    expect(
      within(screen.getByRole('listbox')).queryByText(
        'group:default/orders-team',
      ),
    ).toBeNull();
    await userEvent.click(option);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Link' }));
    expect(api.requests.find(r => r.method === 'linkResource')?.args).toEqual([
      'id-edge-lab-legacy-batch',
      'api:default/orders-api',
    ]);
  });

  it('offers no change or unlink of a resource whose entity the user may not link', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    const asked: Array<string | undefined> = [];
    await renderGitOps(<GitOpsPage />, {
      api,
      authorize: req => {
        if (req.permission.name !== 'gitops.resource.link') {
          return AuthorizeResult.ALLOW;
        }
        asked.push(req.resourceRef);
        return AuthorizeResult.DENY;
      },
    });
    await screen.findByText('legacy-batch', { selector: 'p' });
    // Command buttons show once permissions are answered; link buttons must not.
    await screen.findByRole('button', { name: 'Sync payments-worker' });
    expect(asked).toContain('component:default/payments-worker');
    expect(screen.queryByRole('button', { name: /^Unlink / })).toBeNull();
    // Only the unlinked resource offers a link: the entity picked is judged when it is made.
    expect(
      screen
        .queryAllByRole('button', { name: /^Link / })
        .map(b => b.getAttribute('aria-label')),
    ).toEqual(['Link legacy-batch']);
  });
});
