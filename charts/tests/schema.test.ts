/*
 * values.schema.json and the chart's own checks reject bad values at install time, with a
 * message naming the field, before anything reaches the cluster.
 */
import { ChartValues, helmTemplate } from '../src';

const valid = {
  agent: {
    backendURL: 'https://backstage.example.com',
    credential: { existingSecret: 'agent-credential' },
  },
};

function merge(target: any, patch: any): any {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = { ...(target ?? {}) };
  for (const [k, v] of Object.entries(patch)) out[k] = merge(out[k], v);
  return out;
}

async function rejection(
  values: ChartValues,
  setString?: Record<string, string>,
) {
  const result = await helmTemplate({
    values: merge(valid, values),
    setString,
  });
  expect(result.code).not.toBe(0);
  return result.stderr;
}

describe('values schema', () => {
  it('accepts the minimal valid values', async () => {
    const result = await helmTemplate({ values: valid });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it.each([
    [
      'at the top level',
      { replicas: 2 },
      "additional properties 'replicas' not allowed",
    ],
    [
      'under agent',
      { agent: { backendUrl: 'https://x' } },
      "additional properties 'backendUrl' not allowed",
    ],
    [
      'under agent.gitops',
      { agent: { gitops: { argo: {} } } },
      "additional properties 'argo' not allowed",
    ],
    [
      'under agent.gitops.argocd',
      { agent: { gitops: { argocd: { serverUrl: 'https://argocd' } } } },
      "additional properties 'serverUrl' not allowed",
    ],
    [
      'under image',
      { image: { name: 'x' } },
      "additional properties 'name' not allowed",
    ],
    [
      'under metrics.serviceMonitor',
      { metrics: { serviceMonitor: { labels: {} } } },
      "additional properties 'labels' not allowed",
    ],
  ])('rejects an unknown key %s', async (_where, values, message) => {
    expect(await rejection(values)).toContain(message);
  });

  it.each([
    [
      'an unknown tool',
      { agent: { gitops: { tool: 'flux' } } },
      '/agent/gitops/tool',
      "value must be one of '', 'argocd', 'fluxcd'",
    ],
    [
      'a tool of the wrong type',
      { agent: { gitops: { tool: true } } },
      '/agent/gitops/tool',
      'got boolean, want string',
    ],
    [
      'replicaCount as a string',
      { replicaCount: 'two' },
      '/replicaCount',
      'got string, want integer',
    ],
    ['zero replicas', { replicaCount: 0 }, '/replicaCount', 'minimum'],
    [
      'commands.enabled as a string',
      { agent: { commands: { enabled: 'always' } } },
      '/agent/commands/enabled',
      'want boolean',
    ],
    [
      'a backend URL without a scheme',
      { agent: { backendURL: 'backstage.example.com' } },
      '/agent/backendURL',
      '',
    ],
    [
      'an ArgoCD server URL without a scheme',
      { agent: { gitops: { argocd: { serverURL: 'argocd:443' } } } },
      '/agent/gitops/argocd/serverURL',
      '',
    ],
    [
      'an invalid namespace',
      { agent: { gitops: { argocd: { namespace: 'Argo_CD' } } } },
      '/agent/gitops/argocd/namespace',
      '',
    ],
    [
      'an empty Flux namespace list',
      { agent: { gitops: { fluxcd: { namespaces: [] } } } },
      '/agent/gitops/fluxcd/namespaces',
      'minItems',
    ],
    [
      'a Flux namespace that is no name',
      { agent: { gitops: { fluxcd: { namespaces: ['a b'] } } } },
      '/agent/gitops/fluxcd/namespaces/0',
      '',
    ],
    [
      'an unknown log level',
      { agent: { logLevel: 'verbose' } },
      '/agent/logLevel',
      'value must be one of',
    ],
    ['a privileged port', { agent: { port: 80 } }, '/agent/port', 'minimum'],
    [
      'an unknown pull policy',
      { image: { pullPolicy: 'Sometimes' } },
      '/image/pullPolicy',
      'value must be one of',
    ],
    [
      'a digest that is no sha256',
      { image: { digest: 'latest' } },
      '/image/digest',
      '',
    ],
  ])('rejects %s, naming the field', async (_what, values, field, message) => {
    const stderr = await rejection(values);
    expect(stderr).toContain(`at '${field}'`);
    expect(stderr).toContain(message);
  });
});

describe('checks across values', () => {
  it('requires the backend URL', async () => {
    expect(await rejection({ agent: { backendURL: '' } })).toContain(
      'agent.backendURL is required',
    );
  });

  it('requires the agent credential, from a Secret or passed at install', async () => {
    expect(
      await rejection({ agent: { credential: { existingSecret: '' } } }),
    ).toContain('agent.credential: set existingSecret');
  });

  it('refuses both an existing Secret and a token for the same credential', async () => {
    expect(await rejection({}, { 'agent.credential.token': 'abc' })).toContain(
      'agent.credential: set either existingSecret or token, not both',
    );
    expect(
      await rejection(
        {
          agent: {
            gitops: {
              tool: 'argocd',
              argocd: { existingSecret: 's', serverURL: 'https://argocd' },
            },
          },
        },
        { 'agent.gitops.argocd.token': 'abc' },
      ),
    ).toContain(
      'agent.gitops.argocd: set either existingSecret or token, not both',
    );
  });

  it('refuses several replicas without leader election', async () => {
    expect(
      await rejection({
        replicaCount: 2,
        agent: { leaderElection: { enabled: false } },
      }),
    ).toContain('replicaCount > 1 needs agent.leaderElection.enabled');
  });

  it('refuses an ArgoCD token without the server URL it is for', async () => {
    expect(
      await rejection({
        agent: {
          gitops: {
            tool: 'argocd',
            argocd: { existingSecret: 'argocd-token' },
          },
        },
      }),
    ).toContain(
      'agent.gitops.argocd.serverURL is required with an ArgoCD token',
    );
  });
});
