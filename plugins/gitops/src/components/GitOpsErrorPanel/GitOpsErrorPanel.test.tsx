import { screen } from '@testing-library/react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { GitOpsClient } from '../../api/GitOpsClient';
import { GitOpsPage } from '../GitOpsPage';
import { EntityGitOpsContent } from '../EntityGitOpsContent';
import { renderGitOps } from '../../__testUtils__/renderGitOps';
import { errorMessage } from '../../lib/errors';

jest.setTimeout(60_000);

/** The real client against a portal whose backend answers `health` with `healthStatus`. */
function client(healthStatus: number) {
  return new GitOpsClient({
    discoveryApi: { getBaseUrl: async id => `http://portal/api/${id}` },
    fetchApi: {
      fetch: async (url: any) =>
        String(url).endsWith('/health') && healthStatus === 200
          ? new Response(JSON.stringify({ status: 'ok' }), {
              status: 200,
              headers: { 'Content-Type': 'application/json' },
            })
          : // What a Backstage backend answers for a path no plugin serves: 404, no body.
            new Response(null, { status: 404, statusText: 'Not Found' }),
    },
  });
}

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'storefront', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

describe('the frontend installed without its backend', () => {
  it('says on the GitOps page that the backend plugin is missing, with the line to add', async () => {
    await renderGitOps(<GitOpsPage />, { api: client(404) });
    expect(
      await screen.findByText('The GitOps backend plugin is not installed'),
    ).toBeInTheDocument();
    // The code snippet highlights the line token by token: read the page's text.
    expect(document.body).toHaveTextContent(
      "backend.add(import('@shoehorn/plugin-gitops-backend'));",
    );
    expect(screen.getByText(/packages\/backend\/src\/index\.ts/)).toBeVisible();
  });

  it('says so on the Operations tab too', async () => {
    await renderGitOps(
      <EntityProvider entity={component}>
        <EntityGitOpsContent />
      </EntityProvider>,
      { api: client(404), route: '/catalog/default/component/storefront' },
    );
    expect(
      (await screen.findAllByText('The GitOps backend plugin is not installed'))
        .length,
    ).toBeGreaterThan(0);
  });

  it('keeps a 404 of an installed backend an ordinary error', async () => {
    const error = await client(200)
      .getResource('gone')
      .catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(errorMessage(error)).not.toMatch(/backend/);
  });
});
