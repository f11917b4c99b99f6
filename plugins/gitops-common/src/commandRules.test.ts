import type { ClusterAgentView, ClusterView } from './api';
import {
  ACTIVE_COMMAND_STATUSES,
  commandAvailability,
  FINAL_COMMAND_STATUSES,
  isCommandFinal,
  offeredCommands,
} from './commandRules';
import { GITOPS_KINDS } from './model';
import { COMMAND_STATUSES } from './protocol';

const agent = (
  tool: ClusterAgentView['tool'],
  overrides: Partial<ClusterAgentView> = {},
): ClusterAgentView => ({
  tool,
  version: '0.1.0',
  session: 's',
  capabilities: { sync: true, refresh: true },
  state: 'connected',
  lastSeenAt: new Date().toISOString(),
  kinds: null,
  lastRefusedPush: null,
  ...overrides,
});

const cluster = (
  overrides: Partial<Pick<ClusterView, 'name' | 'state'>> & {
    capabilities?: ClusterAgentView['capabilities'];
    tool?: 'argocd' | 'fluxcd';
  } = {},
): ClusterView => ({
  name: overrides.name ?? 'prod-us',
  state: overrides.state ?? 'connected',
  lastSeenAt: new Date().toISOString(),
  lastRefusedPush: null,
  agents: [
    agent(overrides.tool ?? 'fluxcd', {
      state: overrides.state ?? 'connected',
      capabilities: overrides.capabilities ?? { sync: true, refresh: true },
    }),
  ],
});

const kustomization = {
  cluster: 'prod-us',
  kind: 'Kustomization',
  tool: 'fluxcd',
} as const;

const ANNOTATED = { status: 'annotation' } as const;
const DEFAULT_POLICY = { allowOnNameMatch: false };

/** commandAvailability of a resource linked by annotation, under the default policy unless given. */
const availability = (
  type: Parameters<typeof commandAvailability>[0],
  resource: Omit<Parameters<typeof commandAvailability>[1], 'link'> & {
    link?: Parameters<typeof commandAvailability>[1]['link'];
  },
  clusterView: Parameters<typeof commandAvailability>[2],
  policy = DEFAULT_POLICY,
) =>
  commandAvailability(
    type,
    { link: ANNOTATED, ...resource },
    clusterView,
    policy,
  );

const reason = (...args: Parameters<typeof availability>) =>
  availability(...args).reason;

describe('commandAvailability', () => {
  it('allows commands the agent reported it can run, on a stale cluster too', () => {
    expect(availability('sync', kustomization, cluster())).toEqual({
      allowed: true,
      reason: null,
    });
    expect(
      availability('refresh', kustomization, cluster({ state: 'stale' }))
        .allowed,
    ).toBe(true);
  });

  it('names the missing ArgoCD token of a read-only ArgoCD cluster', () => {
    expect(
      availability(
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
      availability(
        'refresh',
        { ...kustomization, kind: 'GitRepository' },
        cluster(),
      ).allowed,
    ).toBe(true);
  });

  it('refuses a resource linked only by name unless the policy allows it; annotation and manual links pass', () => {
    const byName = { ...kustomization, link: { status: 'name' } } as const;
    expect(reason('sync', byName, cluster())).toBe(
      'Linked only by name, which any catalog entity of that name could claim: Sync needs the shoehorn.dev/entity annotation or a manual link.',
    );
    expect(reason('refresh', byName, cluster())).toMatch(
      /^Linked only by name/,
    );
    expect(
      availability('sync', byName, cluster(), { allowOnNameMatch: true })
        .allowed,
    ).toBe(true);
    for (const status of ['annotation', 'manual'] as const) {
      expect(
        availability('sync', { ...kustomization, link: { status } }, cluster())
          .allowed,
      ).toBe(true);
    }
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

  it("decides by the agent of the resource's tool when an ArgoCD and a Flux agent share a cluster", () => {
    const shared: ClusterView = {
      ...cluster(),
      agents: [
        agent('argocd', { capabilities: { sync: false, refresh: false } }),
        agent('fluxcd', { state: 'disconnected' }),
      ],
    };
    const application = {
      cluster: 'prod-us',
      kind: 'Application',
      tool: 'argocd',
    } as const;
    expect(reason('sync', application, shared)).toBe(
      'Cluster prod-us is read-only: its agent has no ArgoCD token.',
    );
    expect(reason('sync', kustomization, shared)).toBe(
      'The FluxCD agent of cluster prod-us is disconnected, so it would not pick up the command.',
    );
    shared.agents[0].capabilities = { sync: true, refresh: true };
    shared.agents[1].state = 'stale';
    expect(availability('sync', application, shared).allowed).toBe(true);
    expect(availability('sync', kustomization, shared).allowed).toBe(true);
  });
});

describe('commandAvailability of Suspend and Resume', () => {
  // Every kind but the ArgoCD Application is a Flux kind with spec.suspend.
  const FLUX_KINDS = GITOPS_KINDS.filter(k => k !== 'Application');
  const withSuspend = { sync: true, refresh: true, suspend: true };

  it.each(
    FLUX_KINDS.flatMap(kind => [
      ['suspend', kind] as const,
      ['resume', kind] as const,
    ]),
  )(
    'allows %s of a Flux %s when its agent reports the capability',
    (type, kind) => {
      expect(
        availability(
          type,
          { ...kustomization, kind },
          cluster({ capabilities: withSuspend }),
        ),
      ).toEqual({ allowed: true, reason: null });
    },
  );

  it.each(['suspend', 'resume'] as const)(
    'refuses %s of an ArgoCD Application, which has no suspend, whatever its agent reports',
    type => {
      expect(
        reason(
          type,
          { cluster: 'prod-us', kind: 'Application', tool: 'argocd' },
          cluster({ tool: 'argocd', capabilities: withSuspend }),
        ),
      ).toBe(
        'An ArgoCD Application has no suspend: Suspend and Resume apply to Flux objects (turn off automated sync in ArgoCD instead).',
      );
    },
  );

  it.each([
    [
      'an agent older than Suspend (no suspend flag)',
      { sync: true, refresh: true },
      'The FluxCD agent of cluster prod-us does not offer Suspend and Resume; a newer agent version does.',
    ],
    [
      'an agent reporting suspend false',
      { sync: true, refresh: true, suspend: false },
      'The FluxCD agent of cluster prod-us does not offer Suspend and Resume; a newer agent version does.',
    ],
    [
      'an agent without commands',
      { sync: false, refresh: false },
      'Cluster prod-us is read-only: its agent runs without commands.',
    ],
  ])('refuses both on %s', (_, capabilities, expected) => {
    for (const type of ['suspend', 'resume'] as const) {
      expect(reason(type, kustomization, cluster({ capabilities }))).toBe(
        expected,
      );
    }
  });

  it('keeps the link rule and the disconnected agent rule of the other commands', () => {
    expect(
      reason(
        'resume',
        { ...kustomization, link: { status: 'name' } },
        cluster({ capabilities: withSuspend }),
      ),
    ).toBe(
      'Linked only by name, which any catalog entity of that name could claim: Resume needs the shoehorn.dev/entity annotation or a manual link.',
    );
    expect(
      reason(
        'suspend',
        kustomization,
        cluster({ state: 'disconnected', capabilities: withSuspend }),
      ),
    ).toMatch(/disconnected/);
    // Sync needs only its own capability: the suspend flag grants nothing else.
    expect(
      reason(
        'sync',
        kustomization,
        cluster({
          capabilities: { sync: false, refresh: true, suspend: true },
        }),
      ),
    ).toBe('Cluster prod-us is read-only: its agent cannot run sync.');
  });

  it('offers Resume on a suspended Flux object and Suspend on any other, only where its agent reports the capability', () => {
    const flux = cluster({ capabilities: withSuspend });
    expect(
      offeredCommands({ ...kustomization, suspended: false }, flux),
    ).toEqual(['sync', 'refresh', 'suspend']);
    expect(
      offeredCommands(
        { ...kustomization, kind: 'HelmRepository', suspended: true },
        flux,
      ),
    ).toEqual(['sync', 'refresh', 'resume']);
    for (const capabilities of [
      { sync: true, refresh: true },
      { sync: true, refresh: true, suspend: false },
    ]) {
      expect(
        offeredCommands(
          { ...kustomization, suspended: true },
          cluster({ capabilities }),
        ),
      ).toEqual(['sync', 'refresh']);
    }
    expect(
      offeredCommands({ ...kustomization, suspended: false }, undefined),
    ).toEqual(['sync', 'refresh']);
    // Only the agent of the resource's own tool counts, and an Application is never offered them.
    const mixed = {
      agents: [
        ...cluster({ capabilities: { sync: true, refresh: true } }).agents,
        ...cluster({ tool: 'argocd', capabilities: withSuspend }).agents,
      ],
    };
    expect(
      offeredCommands({ ...kustomization, suspended: false }, mixed),
    ).toEqual(['sync', 'refresh']);
    expect(
      offeredCommands(
        { kind: 'Application', tool: 'argocd', suspended: true },
        mixed,
      ),
    ).toEqual(['sync', 'refresh']);
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
