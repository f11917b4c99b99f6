import type { ClusterView } from './api';
import {
  ACTIVE_COMMAND_STATUSES,
  commandAvailability,
  FINAL_COMMAND_STATUSES,
  isCommandFinal,
} from './commandRules';
import { COMMAND_STATUSES } from './protocol';

const cluster = (
  overrides: Partial<Pick<ClusterView, 'name' | 'state'>> & {
    capabilities?: ClusterView['agent']['capabilities'];
    tool?: 'argocd' | 'fluxcd';
  } = {},
): ClusterView => ({
  name: overrides.name ?? 'prod-us',
  state: overrides.state ?? 'connected',
  lastSeenAt: new Date().toISOString(),
  lastRefusedPush: null,
  agent: {
    version: '0.1.0',
    session: 's',
    tool: overrides.tool ?? 'fluxcd',
    capabilities: overrides.capabilities ?? { sync: true, refresh: true },
  },
});

const kustomization = {
  cluster: 'prod-us',
  kind: 'Kustomization',
  tool: 'fluxcd',
} as const;

const reason = (...args: Parameters<typeof commandAvailability>) =>
  commandAvailability(...args).reason;

describe('commandAvailability', () => {
  it('allows commands the agent reported it can run, on a stale cluster too', () => {
    expect(commandAvailability('sync', kustomization, cluster())).toEqual({
      allowed: true,
      reason: null,
    });
    expect(
      commandAvailability('refresh', kustomization, cluster({ state: 'stale' }))
        .allowed,
    ).toBe(true);
  });

  it('names the missing ArgoCD token of a read-only ArgoCD cluster', () => {
    expect(
      commandAvailability(
        'sync',
        { cluster: 'prod-eu', kind: 'Application', tool: 'argocd' },
        cluster({
          name: 'prod-eu',
          tool: 'argocd',
          capabilities: { sync: false, refresh: false },
        }),
      ),
    ).toEqual({
      allowed: false,
      reason: 'Cluster prod-eu is read-only: its agent has no ArgoCD token.',
    });
  });

  it('explains agents without commands, unknown and disconnected clusters, and GitRepository sync', () => {
    expect(
      reason(
        'refresh',
        kustomization,
        cluster({ capabilities: { sync: false, refresh: false } }),
      ),
    ).toBe('Cluster prod-us is read-only: its agent runs without commands.');
    expect(
      reason(
        'sync',
        kustomization,
        cluster({ capabilities: { sync: false, refresh: true } }),
      ),
    ).toBe('Cluster prod-us is read-only: its agent cannot run sync.');
    expect(reason('sync', kustomization, undefined)).toBe(
      'No agent has reported for cluster prod-us.',
    );
    expect(
      reason('sync', kustomization, cluster({ state: 'disconnected' })),
    ).toMatch(/disconnected/);
    expect(
      reason('sync', { ...kustomization, kind: 'GitRepository' }, cluster()),
    ).toMatch(/use Refresh for a GitRepository/);
    expect(
      commandAvailability(
        'refresh',
        { ...kustomization, kind: 'GitRepository' },
        cluster(),
      ).allowed,
    ).toBe(true);
  });

  it('refuses a resource of another tool than the agent now watching its cluster', () => {
    expect(
      reason(
        'refresh',
        { cluster: 'prod-us', kind: 'Application', tool: 'argocd' },
        cluster(),
      ),
    ).toBe('Cluster prod-us is watched by a FluxCD agent, not ArgoCD.');
  });
});

describe('command status sets', () => {
  it('split every status into active or final, never both', () => {
    expect(
      [...ACTIVE_COMMAND_STATUSES, ...FINAL_COMMAND_STATUSES].sort(),
    ).toEqual([...COMMAND_STATUSES].sort());
    expect(COMMAND_STATUSES.filter(isCommandFinal)).toEqual(
      FINAL_COMMAND_STATUSES,
    );
  });
});
