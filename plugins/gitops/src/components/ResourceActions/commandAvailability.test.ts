import type { ClusterView } from '@shoehorn/plugin-gitops-common';
import { commandUnavailableReason } from './commandAvailability';

const cluster = (
  overrides: Partial<ClusterView> & {
    capabilities?: ClusterView['agent']['capabilities'];
    tool?: 'argocd' | 'fluxcd';
  },
): ClusterView => ({
  name: 'prod-us',
  state: 'connected',
  lastSeenAt: new Date().toISOString(),
  agent: {
    version: '0.1.0',
    session: 's',
    tool: overrides.tool ?? 'fluxcd',
    capabilities: overrides.capabilities ?? { sync: true, refresh: true },
  },
  ...(overrides.state ? { state: overrides.state } : {}),
});

const kustomization = {
  cluster: 'prod-us',
  kind: 'Kustomization',
  tool: 'fluxcd',
} as const;

describe('commandUnavailableReason', () => {
  it('allows commands the agent reported it can run', () => {
    expect(
      commandUnavailableReason('sync', kustomization, cluster({})),
    ).toBeNull();
    expect(
      commandUnavailableReason('refresh', kustomization, cluster({})),
    ).toBeNull();
  });

  it('names the missing ArgoCD token of a read-only ArgoCD cluster', () => {
    expect(
      commandUnavailableReason(
        'sync',
        { cluster: 'prod-eu', kind: 'Application', tool: 'argocd' },
        {
          ...cluster({
            tool: 'argocd',
            capabilities: { sync: false, refresh: false },
          }),
          name: 'prod-eu',
        },
      ),
    ).toBe('Cluster prod-eu is read-only: its agent has no ArgoCD token.');
  });

  it('explains agents without commands, unknown and disconnected clusters, and GitRepository sync', () => {
    expect(
      commandUnavailableReason(
        'refresh',
        kustomization,
        cluster({ capabilities: { sync: false, refresh: false } }),
      ),
    ).toBe('Cluster prod-us is read-only: its agent runs without commands.');
    expect(
      commandUnavailableReason(
        'sync',
        kustomization,
        cluster({ capabilities: { sync: false, refresh: true } }),
      ),
    ).toBe('Cluster prod-us is read-only: its agent cannot run sync.');
    expect(commandUnavailableReason('sync', kustomization, undefined)).toBe(
      'No agent has reported for cluster prod-us.',
    );
    expect(
      commandUnavailableReason(
        'sync',
        kustomization,
        cluster({ state: 'disconnected' }),
      ),
    ).toMatch(/disconnected/);
    expect(
      commandUnavailableReason(
        'sync',
        { ...kustomization, kind: 'GitRepository' },
        cluster({}),
      ),
    ).toMatch(/use Refresh for a GitRepository/);
  });
});
