/*
 * Tokens reach the agent only through Secrets mounted as files: never in a ConfigMap, an
 * environment value, an annotation or any other rendered object.
 */
import {
  K8sObject,
  agentContainer,
  allStrings,
  findOne,
  objectsOfKind,
  renderChart,
} from '../src';

const AGENT_TOKEN = 'agent-token-Zq8vX1';
const ARGOCD_TOKEN = 'argocd-token-Pw3mK7';

const argocdWithTokens = {
  values: {
    agent: {
      backendURL: 'https://backstage.example.com',
      gitops: {
        tool: 'argocd',
        argocd: { serverURL: 'https://argocd.example.com' },
      },
    },
  },
  setString: {
    'agent.credential.token': AGENT_TOKEN,
    'agent.gitops.argocd.token': ARGOCD_TOKEN,
  },
};

function volume(objects: K8sObject[], name: string) {
  const deployment = findOne(objects, 'Deployment');
  return deployment.spec.template.spec.volumes.find(
    (v: any) => v.name === name,
  );
}

function mountPath(objects: K8sObject[], name: string): string | undefined {
  return agentContainer(objects).volumeMounts.find((m: any) => m.name === name)
    ?.mountPath;
}

describe('Secret wiring', () => {
  it('stores tokens passed at install in one Secret the chart creates', async () => {
    const objects = await renderChart(argocdWithTokens);
    const secret = findOne(objects, 'Secret');
    expect(secret.metadata.name).toBe('gitops-gitops-agent-credentials');
    expect(secret.metadata.namespace).toBe('gitops-system');
    expect(Object.keys(secret.data).sort()).toEqual([
      'agent-token',
      'argocd-token',
    ]);
    expect(Buffer.from(secret.data['agent-token'], 'base64').toString()).toBe(
      AGENT_TOKEN,
    );
    expect(Buffer.from(secret.data['argocd-token'], 'base64').toString()).toBe(
      ARGOCD_TOKEN,
    );
  });

  it('mounts each token as a file and tells the agent the path, never the value', async () => {
    const objects = await renderChart(argocdWithTokens);
    expect(volume(objects, 'agent-credential').secret).toEqual({
      secretName: 'gitops-gitops-agent-credentials',
      defaultMode: 0o440,
      items: [{ key: 'agent-token', path: 'token' }],
    });
    expect(volume(objects, 'argocd-token').secret).toEqual({
      secretName: 'gitops-gitops-agent-credentials',
      defaultMode: 0o440,
      items: [{ key: 'argocd-token', path: 'token' }],
    });
    const env = Object.fromEntries(
      agentContainer(objects).env.map((e: any) => [e.name, e]),
    );
    expect(env.GITOPS_AGENT_TOKEN_FILE.value).toBe(
      `${mountPath(objects, 'agent-credential')}/token`,
    );
    expect(env.GITOPS_ARGOCD_TOKEN_FILE.value).toBe(
      `${mountPath(objects, 'argocd-token')}/token`,
    );
    expect(env.GITOPS_ARGOCD_SERVER_URL.value).toBe(
      'https://argocd.example.com',
    );
    expect(
      agentContainer(objects).volumeMounts.every(
        (m: any) => m.readOnly || m.name === 'tmp',
      ),
    ).toBe(true);
  });

  it('asks for https unless plain http is allowed explicitly', async () => {
    const envOf = async (values: Record<string, unknown>) =>
      agentContainer(
        await renderChart({ ...argocdWithTokens, values }),
      ).env.map((e: any) => `${e.name}=${e.value ?? ''}`);
    const { values } = argocdWithTokens;
    expect(await envOf(values)).not.toContainEqual(
      expect.stringMatching(/^GITOPS_ALLOW_HTTP=/),
    );
    expect(
      await envOf({
        ...values,
        agent: { ...values.agent, allowInsecureHttp: true },
      }),
    ).toContain('GITOPS_ALLOW_HTTP=true');
  });

  it('no token, in clear or base64, appears outside the Secret; no ConfigMap is rendered', async () => {
    const objects = await renderChart(argocdWithTokens);
    expect(objectsOfKind(objects, 'ConfigMap')).toEqual([]);
    const outside = objects.filter(o => o.kind !== 'Secret');
    expect(outside.length).toBeGreaterThan(5);
    for (const token of [AGENT_TOKEN, ARGOCD_TOKEN]) {
      const forms = [token, Buffer.from(token).toString('base64')];
      for (const o of outside) {
        const leaked = allStrings(o).filter(s =>
          forms.some(f => s.includes(f)),
        );
        expect({ object: `${o.kind}/${o.metadata.name}`, leaked }).toEqual({
          object: `${o.kind}/${o.metadata.name}`,
          leaked: [],
        });
      }
    }
    for (const e of agentContainer(objects).env) {
      expect(e.valueFrom?.secretKeyRef).toBeUndefined();
    }
  });

  it('uses existing Secrets by name and key, and creates none', async () => {
    const objects = await renderChart({
      values: {
        agent: {
          backendURL: 'https://backstage.example.com',
          credential: {
            existingSecret: 'portal-credential',
            existingSecretKey: 'credential',
          },
          gitops: {
            tool: 'argocd',
            argocd: {
              serverURL: 'https://argocd.example.com',
              existingSecret: 'argocd-shoehorn',
              existingSecretKey: 'apiToken',
            },
          },
        },
      },
    });
    expect(objectsOfKind(objects, 'Secret')).toEqual([]);
    expect(volume(objects, 'agent-credential').secret.secretName).toBe(
      'portal-credential',
    );
    expect(volume(objects, 'agent-credential').secret.items).toEqual([
      { key: 'credential', path: 'token' },
    ]);
    expect(volume(objects, 'argocd-token').secret.secretName).toBe(
      'argocd-shoehorn',
    );
    expect(volume(objects, 'argocd-token').secret.items).toEqual([
      { key: 'apiToken', path: 'token' },
    ]);
  });

  it('without an ArgoCD token the agent is read-only: no token file, no mount', async () => {
    const objects = await renderChart({
      values: {
        agent: {
          backendURL: 'https://backstage.example.com',
          credential: { existingSecret: 'portal-credential' },
          gitops: {
            tool: 'argocd',
            argocd: { serverURL: 'https://argocd.example.com' },
          },
        },
      },
    });
    expect(volume(objects, 'argocd-token')).toBeUndefined();
    expect(agentContainer(objects).env.map((e: any) => e.name)).not.toContain(
      'GITOPS_ARGOCD_TOKEN_FILE',
    );
    expect(objectsOfKind(objects, 'Secret')).toEqual([]);
  });

  it('with commands disabled the ArgoCD token is neither stored nor mounted', async () => {
    const objects = await renderChart({
      ...argocdWithTokens,
      values: {
        agent: {
          ...argocdWithTokens.values.agent,
          commands: { enabled: false },
        },
      },
    });
    expect(Object.keys(findOne(objects, 'Secret').data)).toEqual([
      'agent-token',
    ]);
    expect(volume(objects, 'argocd-token')).toBeUndefined();
    expect(allStrings(objects).some(s => s.includes(ARGOCD_TOKEN))).toBe(false);
  });

  it('an ArgoCD token is ignored when the tool is FluxCD', async () => {
    const objects = await renderChart({
      values: {
        agent: {
          backendURL: 'https://backstage.example.com',
          gitops: { tool: 'fluxcd' },
        },
      },
      setString: {
        'agent.credential.token': AGENT_TOKEN,
        'agent.gitops.argocd.token': ARGOCD_TOKEN,
      },
    });
    expect(Object.keys(findOne(objects, 'Secret').data)).toEqual([
      'agent-token',
    ]);
    expect(volume(objects, 'argocd-token')).toBeUndefined();
    expect(allStrings(objects).some(s => s.includes(ARGOCD_TOKEN))).toBe(false);
  });

  it('rolls the pods when a token passed at install changes', async () => {
    const annotation = async (token: string) =>
      findOne(
        await renderChart({
          ...argocdWithTokens,
          setString: {
            ...argocdWithTokens.setString,
            'agent.credential.token': token,
          },
        }),
        'Deployment',
      ).spec.template.metadata.annotations['checksum/credentials'];
    const first = await annotation('one');
    expect(first).toMatch(/^[a-f0-9]{64}$/);
    expect(await annotation('two')).not.toBe(first);
  });
});
