/*
 * The RBAC the chart grants, rule by rule, for every way an admin can configure it. Anything
 * beyond these exact rules is a failure: least privilege is the point.
 */
import {
  ChartValues,
  K8sObject,
  PolicyRule,
  deploymentEnv,
  grantsOf,
  normalizeRule,
  renderChart,
} from '../src';

const SA = 'gitops-gitops-agent';
const NS = 'gitops-system';
const base = {
  backendURL: 'https://backstage.example.com',
  credential: { existingSecret: 'agent-credential' },
};

function withAgent(agent: ChartValues, rest: ChartValues = {}): ChartValues {
  return { agent: { ...base, ...agent }, ...rest };
}

const read = ['get', 'list', 'watch'];

const argocdRead: PolicyRule = {
  apiGroups: ['argoproj.io'],
  resources: ['applications', 'appprojects'],
  verbs: read,
};
const fluxRules = (verbs: string[]): PolicyRule[] => [
  {
    apiGroups: ['kustomize.toolkit.fluxcd.io'],
    resources: ['kustomizations'],
    verbs,
  },
  { apiGroups: ['helm.toolkit.fluxcd.io'], resources: ['helmreleases'], verbs },
  {
    apiGroups: ['source.toolkit.fluxcd.io'],
    resources: ['gitrepositories', 'ocirepositories', 'helmrepositories'],
    verbs,
  },
  // Sync reconciles unwatched source kinds first and reads them back: only with commands on.
  ...(verbs.includes('patch')
    ? [
        {
          apiGroups: ['source.toolkit.fluxcd.io'],
          resources: ['buckets', 'helmcharts'],
          verbs: ['get', 'patch'],
        },
      ]
    : []),
];
const crdRead = (names: string[]): PolicyRule => ({
  apiGroups: ['apiextensions.k8s.io'],
  resources: ['customresourcedefinitions'],
  resourceNames: names,
  verbs: read,
});
const ARGOCD_CRDS = ['applications.argoproj.io', 'appprojects.argoproj.io'];
const FLUX_CRDS = [
  'kustomizations.kustomize.toolkit.fluxcd.io',
  'helmreleases.helm.toolkit.fluxcd.io',
  'gitrepositories.source.toolkit.fluxcd.io',
  'ocirepositories.source.toolkit.fluxcd.io',
  'helmrepositories.source.toolkit.fluxcd.io',
];
const leaseRules = (lease: string): PolicyRule[] => [
  {
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    verbs: ['create'],
  },
  {
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    resourceNames: [lease],
    verbs: ['get', 'update'],
  },
];

/** What the agent's ServiceAccount may do: scope → sorted rules. */
async function effectiveGrants(values: ChartValues) {
  const objects = await renderChart({ values });
  return {
    objects,
    grants: sortGrants(
      grantsOf(objects, SA, NS).map(g => ({
        scope: g.namespace ?? '(cluster)',
        kind: g.kind,
        rules: g.rules,
      })),
    ),
  };
}

interface ScopedRules {
  scope: string;
  kind: string;
  rules: PolicyRule[];
}

/** Order-free comparison: by scope, then kind, then content. */
function sortGrants(grants: ScopedRules[]): ScopedRules[] {
  const key = (g: ScopedRules) =>
    `${g.scope}|${g.kind}|${JSON.stringify(g.rules)}`;
  return [...grants].sort((a, b) => key(a).localeCompare(key(b)));
}

const norm = (rules: PolicyRule[]) => rules.map(normalizeRule);

describe('RBAC derived from agent.gitops', () => {
  it('ArgoCD: reads Applications in the configured namespace only, with a Role', async () => {
    const { grants } = await effectiveGrants(
      withAgent({
        gitops: { tool: 'argocd', argocd: { namespace: 'argo-system' } },
      }),
    );
    expect(grants).toEqual(
      sortGrants([
        {
          scope: '(cluster)',
          kind: 'ClusterRole',
          rules: norm([crdRead(ARGOCD_CRDS)]),
        },
        { scope: 'argo-system', kind: 'Role', rules: norm([argocdRead]) },
        {
          scope: NS,
          kind: 'Role',
          rules: norm(leaseRules('gitops-gitops-agent')),
        },
      ]),
    );
  });

  it('ArgoCD defaults to the argocd namespace', async () => {
    const { grants } = await effectiveGrants(
      withAgent({ gitops: { tool: 'argocd' } }),
    );
    expect(grants.filter(g => g.kind === 'Role').map(g => g.scope)).toEqual([
      'argocd',
      NS,
    ]);
  });

  it('ArgoCD apps in listed namespaces: one Role per namespace', async () => {
    const { grants } = await effectiveGrants(
      withAgent({
        gitops: {
          tool: 'argocd',
          argocd: { applicationNamespaces: ['team-a', 'team-b', 'argocd'] },
        },
      }),
    );
    const appGrants = grants.filter(g =>
      g.rules.some(r => r.apiGroups.includes('argoproj.io')),
    );
    expect(appGrants).toEqual(
      ['argocd', 'team-a', 'team-b'].map(scope => ({
        scope,
        kind: 'Role',
        rules: norm([argocdRead]),
      })),
    );
  });

  it('ArgoCD apps in any namespace: a ClusterRole, read-only even with a token', async () => {
    const { grants, objects } = await effectiveGrants(
      withAgent({
        gitops: {
          tool: 'argocd',
          argocd: {
            applicationNamespaces: ['*'],
            serverURL: 'https://argocd.example.com',
            existingSecret: 'argocd-token',
          },
        },
      }),
    );
    expect(grants).toEqual(
      sortGrants([
        { scope: '(cluster)', kind: 'ClusterRole', rules: norm([argocdRead]) },
        {
          scope: '(cluster)',
          kind: 'ClusterRole',
          rules: norm([crdRead(ARGOCD_CRDS)]),
        },
        {
          scope: NS,
          kind: 'Role',
          rules: norm(leaseRules('gitops-gitops-agent')),
        },
      ]),
    );
    expect(
      objects.filter(
        o => o.kind === 'Role' && o.metadata.namespace === 'argocd',
      ),
    ).toEqual([]);
  });

  it('FluxCD with commands: read and patch on the three kinds, cluster-wide by default', async () => {
    const { grants } = await effectiveGrants(
      withAgent({ gitops: { tool: 'fluxcd' } }),
    );
    expect(grants).toEqual(
      sortGrants([
        {
          scope: '(cluster)',
          kind: 'ClusterRole',
          rules: norm(fluxRules([...read, 'patch'])),
        },
        {
          scope: '(cluster)',
          kind: 'ClusterRole',
          rules: norm([crdRead(FLUX_CRDS)]),
        },
        {
          scope: NS,
          kind: 'Role',
          rules: norm(leaseRules('gitops-gitops-agent')),
        },
      ]),
    );
  });

  it('FluxCD with commands off: no patch anywhere', async () => {
    const { grants } = await effectiveGrants(
      withAgent({ gitops: { tool: 'fluxcd' }, commands: { enabled: false } }),
    );
    expect(grants).toContainEqual({
      scope: '(cluster)',
      kind: 'ClusterRole',
      rules: norm(fluxRules(read)),
    });
    expect(
      grants.flatMap(g => g.rules).filter(r => r.verbs.includes('patch')),
    ).toEqual([]);
  });

  it('FluxCD in listed namespaces: a Role in each, nothing cluster-wide but the CRD read', async () => {
    const { grants } = await effectiveGrants(
      withAgent({
        gitops: {
          tool: 'fluxcd',
          fluxcd: { namespaces: ['flux-system', 'team-a'] },
        },
        leaderElection: { enabled: false },
      }),
    );
    expect(grants).toEqual(
      sortGrants([
        {
          scope: '(cluster)',
          kind: 'ClusterRole',
          rules: norm([crdRead(FLUX_CRDS)]),
        },
        {
          scope: 'flux-system',
          kind: 'Role',
          rules: norm(fluxRules([...read, 'patch'])),
        },
        {
          scope: 'team-a',
          kind: 'Role',
          rules: norm(fluxRules([...read, 'patch'])),
        },
      ]),
    );
  });

  it('no tool: no GitOps RBAC at all, only the Lease', async () => {
    const { grants, objects } = await effectiveGrants(withAgent({}));
    expect(grants).toEqual(
      sortGrants([
        {
          scope: NS,
          kind: 'Role',
          rules: norm(leaseRules('gitops-gitops-agent')),
        },
      ]),
    );
    expect(objects.filter(o => o.kind.startsWith('ClusterRole'))).toEqual([]);
    const env = deploymentEnv(objects);
    expect(env.GITOPS_TOOL).toBeUndefined();
    expect(Object.keys(env).filter(k => /ARGOCD|FLUX/.test(k))).toEqual([]);
  });

  it('the tool-specific settings of the other tool grant nothing', async () => {
    const { grants } = await effectiveGrants(
      withAgent({
        gitops: {
          tool: 'fluxcd',
          argocd: {
            namespace: 'argocd',
            applicationNamespaces: ['*'],
            existingSecret: 'argocd-token',
          },
        },
      }),
    );
    expect(
      grants
        .flatMap(g => g.rules)
        .some(r => r.apiGroups.includes('argoproj.io')),
    ).toBe(false);
  });

  it('leader election off: no Lease rights; a custom Lease name is the only one renewable', async () => {
    const off = await effectiveGrants(
      withAgent({
        gitops: { tool: 'argocd' },
        leaderElection: { enabled: false },
      }),
    );
    expect(
      off.grants
        .flatMap(g => g.rules)
        .some(r => r.resources.includes('leases')),
    ).toBe(false);
    expect(deploymentEnv(off.objects).GITOPS_LEADER_ELECTION).toBe('false');

    const named = await effectiveGrants(
      withAgent({
        leaderElection: { enabled: true, leaseName: 'agent-leader' },
      }),
    );
    expect(named.grants).toEqual(
      sortGrants([
        { scope: NS, kind: 'Role', rules: norm(leaseRules('agent-leader')) },
      ]),
    );
    expect(deploymentEnv(named.objects).GITOPS_LEASE_NAME).toBe('agent-leader');
  });

  it('rbac.create=false renders no Role, ClusterRole or binding', async () => {
    const objects = await renderChart({
      values: withAgent(
        { gitops: { tool: 'fluxcd' } },
        { rbac: { create: false } },
      ),
    });
    expect(objects.filter(o => /Role/.test(o.kind)).map(o => o.kind)).toEqual(
      [],
    );
  });

  it('never grants Secrets, ConfigMaps, Pods, wildcards or write verbs other than FluxCD patch and the Lease', async () => {
    for (const agent of [
      { gitops: { tool: 'argocd', argocd: { applicationNamespaces: ['*'] } } },
      { gitops: { tool: 'fluxcd' } },
      { gitops: { tool: 'fluxcd', fluxcd: { namespaces: ['a', 'b'] } } },
    ]) {
      const rules = (await effectiveGrants(withAgent(agent))).grants.flatMap(
        g => g.rules,
      );
      const excess = rules.filter(rule => {
        const writeVerbs = rule.resources.includes('leases')
          ? ['create', 'update']
          : ['patch'];
        return (
          rule.resources.some(r =>
            ['secrets', 'configmaps', 'pods'].includes(r),
          ) ||
          [...rule.apiGroups, ...rule.resources, ...rule.verbs].includes('*') ||
          rule.verbs.some(v => !read.includes(v) && !writeVerbs.includes(v))
        );
      });
      expect(excess).toEqual([]);
    }
  });

  it('the watched namespaces reach the agent exactly as RBAC grants them', async () => {
    const argo = await renderChart({
      values: withAgent({
        gitops: {
          tool: 'argocd',
          argocd: { namespace: 'argocd', applicationNamespaces: ['team-a'] },
        },
      }),
    });
    expect(deploymentEnv(argo).GITOPS_ARGOCD_NAMESPACES).toBe('argocd,team-a');
    expect(deploymentEnv(argo).GITOPS_ARGOCD_CONTROL_PLANE_NAMESPACE).toBe(
      'argocd',
    );
    const argoAll = await renderChart({
      values: withAgent({
        gitops: {
          tool: 'argocd',
          argocd: { applicationNamespaces: ['team-a', '*'] },
        },
      }),
    });
    expect(deploymentEnv(argoAll).GITOPS_ARGOCD_NAMESPACES).toBe('*');
    const argoElsewhere = await renderChart({
      values: withAgent({
        gitops: {
          tool: 'argocd',
          argocd: { namespace: 'gitops', applicationNamespaces: ['*'] },
        },
      }),
    });
    // Apps outside the control-plane namespace are addressed with appNamespace, so the agent must know it.
    expect(
      deploymentEnv(argoElsewhere).GITOPS_ARGOCD_CONTROL_PLANE_NAMESPACE,
    ).toBe('gitops');
    const flux = await renderChart({
      values: withAgent({ gitops: { tool: 'fluxcd' } }),
    });
    expect(deploymentEnv(flux).GITOPS_FLUX_NAMESPACES).toBe('*');
    expect(deploymentEnv(flux).GITOPS_TOOL).toBe('fluxcd');
    expect(deploymentEnv(flux).GITOPS_COMMANDS).toBe('true');
  });

  it('cluster-scoped names carry the release namespace, so two releases never collide', async () => {
    const a = await renderChart({
      values: withAgent({ gitops: { tool: 'fluxcd' } }),
      namespace: 'team-a',
    });
    const b = await renderChart({
      values: withAgent({ gitops: { tool: 'fluxcd' } }),
      namespace: 'team-b',
    });
    const names = (objs: K8sObject[]) =>
      objs
        .filter(o => o.kind.startsWith('ClusterRole'))
        .map(o => o.metadata.name);
    expect(names(a)).toHaveLength(4);
    expect(names(a).filter(n => names(b).includes(n))).toEqual([]);
  });
});
