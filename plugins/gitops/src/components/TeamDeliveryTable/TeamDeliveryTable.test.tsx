import { screen, within } from '@testing-library/react';
import type { DeliveryMetrics } from '@shoehorn/plugin-gitops-common';
import { TeamDeliveryTable } from './TeamDeliveryTable';
import { InMemoryGitOpsApi } from '../../__testUtils__/InMemoryGitOpsApi';
import { CLUSTERS, FLEET } from '../../__testUtils__/fixtures';
import { renderGitOps } from '../../__testUtils__/renderGitOps';

jest.setTimeout(60_000);

const window = (
  windowDays: number,
  deployments: number,
  overrides: Partial<DeliveryMetrics> = {},
): DeliveryMetrics => ({
  windowDays,
  deployments,
  deploymentsPerDay: deployments / windowDays,
  failedDeployments: 0,
  changeFailureRate: deployments ? 0 : null,
  restores: 0,
  meanTimeToRestoreMs: null,
  outOfSyncMs: 0,
  ...overrides,
});

describe('TeamDeliveryTable', () => {
  it('lists each owning team with deployments in the last 30 days', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    // The test catalog's Components are all owned by team-a.
    api.groupMetrics.set('group:default/team-a', {
      groupRef: 'group:default/team-a',
      entityRefs: ['component:default/storefront'],
      computedAt: '2026-03-31T00:00:00Z',
      failureWindowMs: 3_600_000,
      windows: [
        window(7, 2),
        window(30, 15, {
          failedDeployments: 3,
          changeFailureRate: 0.2,
          restores: 3,
          meanTimeToRestoreMs: 90 * 60_000,
          outOfSyncMs: 3 * 3_600_000,
        }),
        window(90, 40),
      ],
      daily: [],
    });
    await renderGitOps(<TeamDeliveryTable />, { api });
    const table = await screen.findByRole('table', {
      name: 'Delivery by team',
    });
    const [, row] = within(table).getAllByRole('row');
    expect(
      within(row)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['team-a', '15', '0.50', '20 %', '1 h 30 min', '3 h']);
    expect(api.requests).toContainEqual({
      method: 'getGroupMetrics',
      args: [{ kind: 'group', namespace: 'default', name: 'team-a' }],
    });
  });

  it('says so when no team deployed', async () => {
    const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
    await renderGitOps(<TeamDeliveryTable />, { api });
    expect(
      await screen.findByText(
        'No team has deployments recorded in the last 30 days.',
      ),
    ).toBeInTheDocument();
  });
});
