/*
 * The Terraform module terraform/shoehorn-kubernetes, checked with real OpenTofu and helm:
 * formatting, its variables (types, defaults, sensitivity, validation rules evaluated by tofu),
 * its preconditions, and the chart values it passes, rendered by the real chart.
 *
 * `tofu validate` needs the hashicorp/helm and hashicorp/kubernetes providers built locally;
 * the Go module proxy here serves only their 2020 releases (helm v1.3.2, kubernetes v1.13.4,
 * whose replace directives point into a vendor directory that module zips leave out), so the
 * resource blocks are checked by parsing the HCL instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';
import {
  TERRAFORM_MODULE_DIR,
  deploymentEnv,
  grantsOf,
  objectsOfKind,
  renderChart,
  scratchDir,
  tofu,
} from '../src';

jest.setTimeout(120_000);

const AGENT_TOKEN = 'portal-token-Vt6rL0';
const ARGOCD_TOKEN = 'argocd-token-Ka2pW9';

type Hcl = Record<string, any>;
let hcl: Record<string, Hcl>;
let evalDir: string;

beforeAll(async () => {
  hcl = {};
  for (const file of fs
    .readdirSync(TERRAFORM_MODULE_DIR)
    .filter(f => f.endsWith('.tf'))) {
    hcl[file] = await parse(
      file,
      fs.readFileSync(path.join(TERRAFORM_MODULE_DIR, file), 'utf8'),
    );
  }
  // The variables and the chart values need no provider: tofu evaluates them on their own.
  evalDir = scratchDir();
  for (const file of ['variables.tf', 'values.tf']) {
    fs.copyFileSync(
      path.join(TERRAFORM_MODULE_DIR, file),
      path.join(evalDir, file),
    );
  }
});

function variable(name: string): Hcl {
  const block = hcl['variables.tf'].variable?.[name]?.[0];
  if (!block)
    throw new Error(`variable ${name} is not declared in variables.tf`);
  return block;
}

function resource(type: string, name: string): Hcl {
  const block = Object.values(hcl).find(h => h.resource?.[type]?.[name])
    ?.resource[type][name][0];
  if (!block) throw new Error(`resource ${type}.${name} is not declared`);
  return block;
}

/** Evaluates an expression of the module with the given variables, as tofu console does. */
async function evaluate(expression: string, vars: Record<string, unknown>) {
  const varFile = path.join(
    evalDir,
    `vars-${Math.random().toString(36).slice(2)}.tfvars.json`,
  );
  fs.writeFileSync(varFile, JSON.stringify(vars));
  const result = await tofu(['console', '-no-color', `-var-file=${varFile}`], {
    cwd: evalDir,
    input: `${expression}\n`,
  });
  fs.rmSync(varFile);
  return result;
}

async function chartValues(vars: Record<string, unknown>) {
  const result = await evaluate('jsonencode(local.chart_values)', vars);
  if (result.code !== 0)
    throw new Error(`tofu console failed:\n${result.stderr}`);
  return {
    json: JSON.parse(JSON.parse(result.stdout.trim())),
    raw: result.stdout,
  };
}

const required = {
  backend_url: 'https://backstage.example.com',
  agent_gitops_tool: 'argocd',
  agent_token: AGENT_TOKEN,
};

describe('tofu fmt', () => {
  it('the module is formatted canonically', async () => {
    const result = await tofu(
      ['fmt', '-check', '-recursive', '-diff', TERRAFORM_MODULE_DIR],
      { cwd: evalDir },
    );
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('variables', () => {
  it('declares the documented settings', () => {
    expect(variable('agent_gitops_tool')).toMatchObject({ type: '${string}' });
    expect(variable('agent_gitops_tool')).not.toHaveProperty('default');
    expect(variable('argocd_namespace')).toMatchObject({
      type: '${string}',
      default: 'argocd',
    });
    expect(variable('argocd_server_url')).toMatchObject({
      type: '${string}',
      default: '',
    });
    expect(variable('argocd_token')).toMatchObject({
      type: '${string}',
      default: null,
      sensitive: true,
    });
    expect(variable('agent_token')).toMatchObject({
      type: '${string}',
      default: null,
      sensitive: true,
    });
    expect(variable('backend_url')).not.toHaveProperty('default');
    expect(variable('flux_namespaces')).toMatchObject({
      type: '${list(string)}',
      default: ['*'],
    });
  });

  it('every variable is described', () => {
    for (const [name, [block]] of Object.entries<any>(
      hcl['variables.tf'].variable,
    )) {
      expect({ name, description: typeof block.description }).toEqual({
        name,
        description: 'string',
      });
    }
  });

  it('accepts argocd and fluxcd', async () => {
    for (const tool of ['argocd', 'fluxcd']) {
      const result = await evaluate('var.agent_gitops_tool', {
        ...required,
        agent_gitops_tool: tool,
      });
      expect(result.stderr).toBe('');
      expect(result.stdout.trim()).toBe(`"${tool}"`);
    }
  });

  it.each([
    [
      'agent_gitops_tool',
      { agent_gitops_tool: 'flux' },
      'agent_gitops_tool must be "argocd" or "fluxcd".',
    ],
    [
      'agent_gitops_tool',
      { agent_gitops_tool: '' },
      'agent_gitops_tool must be "argocd" or "fluxcd".',
    ],
    [
      'argocd_namespace',
      { argocd_namespace: 'Argo_CD' },
      'argocd_namespace must be a Kubernetes namespace name.',
    ],
    [
      'argocd_server_url',
      { argocd_server_url: 'argocd.example.com' },
      'argocd_server_url must be an http(s) URL.',
    ],
    [
      'backend_url',
      { backend_url: 'ftp://backstage' },
      'backend_url must be an http(s) URL.',
    ],
    [
      'flux_namespaces',
      { flux_namespaces: [] },
      'flux_namespaces must hold at least one namespace name',
    ],
    [
      'argocd_application_namespaces',
      { argocd_application_namespaces: ['a b'] },
      'argocd_application_namespaces must hold namespace names',
    ],
    [
      'replicas',
      { replicas: 0 },
      'replicas must be a whole number of at least 1.',
    ],
    [
      'replicas',
      { replicas: 1.5 },
      'replicas must be a whole number of at least 1.',
    ],
    [
      'namespace',
      { namespace: 'Gitops' },
      'namespace must be a Kubernetes namespace name.',
    ],
  ])('rejects a bad %s with its message', async (name, bad, message) => {
    // tofu console reports the failed rule on stderr (and still prints the value).
    const result = await evaluate(`var.${name}`, { ...required, ...bad });
    expect(result.stderr).toContain('Invalid value for variable');
    expect(result.stderr.replace(/\s*│\s*/g, ' ')).toContain(message);
  });
});

describe('tokens', () => {
  it('are written only into the Secrets, never into Helm values', () => {
    const release = resource('helm_release', 'agent');
    expect(release.values).toEqual(['${yamlencode(local.chart_values)}']);
    expect(release).not.toHaveProperty('set');
    expect(release).not.toHaveProperty('set_sensitive');
    expect(resource('kubernetes_secret_v1', 'agent_credential').data).toEqual({
      token: '${var.agent_token}',
    });
    expect(resource('kubernetes_secret_v1', 'argocd_token').data).toEqual({
      token: '${var.argocd_token}',
    });
    // Elsewhere only whether a token is set is read.
    const uses = fs
      .readdirSync(TERRAFORM_MODULE_DIR)
      .filter(f => f.endsWith('.tf'))
      .flatMap(f =>
        fs.readFileSync(path.join(TERRAFORM_MODULE_DIR, f), 'utf8').split('\n'),
      )
      .map(line => line.trim())
      .filter(line => /var\.(agent|argocd)_token\b(?!_)/.test(line));
    expect(uses.sort()).toEqual(
      [
        'has_agent_token  = nonsensitive(var.agent_token != null)',
        'has_argocd_token = var.agent_gitops_tool == "argocd" && var.commands_enabled && nonsensitive(var.argocd_token != null && var.argocd_token != "")',
        'token = var.agent_token',
        'token = var.argocd_token',
      ].sort(),
    );
  });

  it('chart values carry Secret names, not the tokens', async () => {
    const { json, raw } = await chartValues({
      ...required,
      argocd_token: ARGOCD_TOKEN,
      argocd_server_url: 'https://argocd.example.com',
    });
    expect(raw).not.toContain(AGENT_TOKEN);
    expect(raw).not.toContain(ARGOCD_TOKEN);
    expect(json.agent.credential).toEqual({
      existingSecret: 'gitops-agent-credential',
      existingSecretKey: 'token',
    });
    expect(json.agent.gitops.argocd.existingSecret).toBe(
      'gitops-agent-argocd-token',
    );
    expect(
      resource('kubernetes_secret_v1', 'agent_credential').metadata[0].name,
    ).toBe('${local.agent_secret_name}');
    expect(
      resource('kubernetes_secret_v1', 'argocd_token').metadata[0].name,
    ).toBe('${local.argocd_secret_name}');
  });

  it('an existing credential Secret is used by name, and no ArgoCD Secret without a token', async () => {
    const { agent_token: _, ...withoutToken } = required;
    const { json } = await chartValues({
      ...withoutToken,
      agent_token_secret_name: 'portal-credential',
    });
    expect(json.agent.credential.existingSecret).toBe('portal-credential');
    expect(json.agent.gitops.argocd.existingSecret).toBe('');
    expect(
      await evaluate('local.has_agent_token', {
        ...withoutToken,
        agent_token_secret_name: 'x',
      }),
    ).toMatchObject({
      stdout: 'false\n',
    });
  });
});

describe('preconditions', () => {
  const conditions = () =>
    Object.fromEntries(
      resource('helm_release', 'agent').lifecycle[0].precondition.map(
        (p: any) => [
          p.error_message,
          p.condition.replace(/^\$\{/, '').replace(/\}$/, ''),
        ],
      ),
    );

  it.each([
    [
      'Set exactly one of agent_token and agent_token_secret_name.',
      { ...required, agent_token_secret_name: 's' },
    ],
    [
      'Set exactly one of agent_token and agent_token_secret_name.',
      { backend_url: 'https://b.example.com', agent_gitops_tool: 'fluxcd' },
    ],
    [
      'replicas > 1 needs leader_election: only one agent may push and run commands.',
      { ...required, replicas: 2, leader_election: false },
    ],
    [
      'argocd_server_url is required with argocd_token: sync and refresh call the ArgoCD server.',
      { ...required, argocd_token: ARGOCD_TOKEN },
    ],
  ])('"%s" fails for bad input', async (message, vars) => {
    const condition = conditions()[message];
    expect(condition).toBeDefined();
    const result = await evaluate(condition, vars);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('false');
  });

  it('all hold for a valid configuration', async () => {
    for (const condition of Object.values<string>(conditions())) {
      const result = await evaluate(condition, {
        ...required,
        argocd_token: ARGOCD_TOKEN,
        argocd_server_url: 'https://argocd.example.com',
        replicas: 2,
      });
      expect(result.stdout.trim()).toBe('true');
    }
  });
});

describe('the chart installed by the module', () => {
  it('uses the chart in this repository by default', () => {
    const chart = resource('helm_release', 'agent').chart;
    expect(chart).toBe(
      '${coalesce(var.chart, "${path.module}/../../charts/gitops-agent")}',
    );
    expect(
      fs.existsSync(
        path.join(TERRAFORM_MODULE_DIR, '../../charts/gitops-agent/Chart.yaml'),
      ),
    ).toBe(true);
  });

  it('requires the helm and kubernetes providers', () => {
    const providers = hcl['versions.tf'].terraform[0].required_providers[0];
    expect(providers.helm.source).toBe('hashicorp/helm');
    expect(providers.kubernetes.source).toBe('hashicorp/kubernetes');
  });

  it('ArgoCD values render, with the token Secret mounted and Applications and AppProjects read in argocd', async () => {
    const { json } = await chartValues({
      ...required,
      argocd_token: ARGOCD_TOKEN,
      argocd_server_url: 'https://argocd.example.com',
      cluster_name: 'prod-eu',
    });
    const objects = await renderChart({
      values: json,
      releaseName: 'gitops-agent',
      namespace: 'gitops-agent',
    });
    expect(objectsOfKind(objects, 'Secret')).toEqual([]);
    const env = deploymentEnv(objects);
    expect(env).toMatchObject({
      GITOPS_TOOL: 'argocd',
      GITOPS_ARGOCD_NAMESPACES: 'argocd',
      GITOPS_ARGOCD_SERVER_URL: 'https://argocd.example.com',
      GITOPS_ARGOCD_TOKEN_FILE: '/var/run/secrets/gitops/argocd/token',
      GITOPS_CLUSTER: 'prod-eu',
    });
    expect(env).not.toHaveProperty('GITOPS_ALLOW_HTTP');
    const volumes = objects.find(o => o.kind === 'Deployment')!.spec.template
      .spec.volumes;
    expect(
      volumes.find((v: any) => v.name === 'argocd-token').secret.secretName,
    ).toBe('gitops-agent-argocd-token');
    expect(
      volumes.find((v: any) => v.name === 'agent-credential').secret.secretName,
    ).toBe('gitops-agent-credential');
    const grants = grantsOf(objects, 'gitops-agent', 'gitops-agent');
    expect(grants.find(g => g.namespace === 'argocd')?.rules).toEqual([
      {
        apiGroups: ['argoproj.io'],
        resources: ['applications', 'appprojects'],
        verbs: ['get', 'list', 'watch'],
      },
    ]);
  });

  it('plain http URLs are accepted only with allow_insecure_http', async () => {
    const { json } = await chartValues({
      ...required,
      backend_url: 'http://backstage.internal:7007',
      allow_insecure_http: true,
    });
    const env = deploymentEnv(await renderChart({ values: json }));
    expect(env).toMatchObject({
      GITOPS_BACKEND_URL: 'http://backstage.internal:7007',
      GITOPS_ALLOW_HTTP: 'true',
    });
  });

  it('FluxCD values render, read-only in the listed namespaces when commands are off', async () => {
    const { json } = await chartValues({
      ...required,
      agent_gitops_tool: 'fluxcd',
      flux_namespaces: ['flux-system'],
      commands_enabled: false,
      replicas: 2,
    });
    const objects = await renderChart({
      values: json,
      releaseName: 'gitops-agent',
      namespace: 'gitops-agent',
    });
    const grants = grantsOf(objects, 'gitops-agent', 'gitops-agent');
    const flux = grants.find(g => g.namespace === 'flux-system');
    expect(flux?.rules.every(r => r.verbs.join() === 'get,list,watch')).toBe(
      true,
    );
    expect(objects.find(o => o.kind === 'Deployment')!.spec.replicas).toBe(2);
    expect(deploymentEnv(objects).GITOPS_FLUX_NAMESPACES).toBe('flux-system');
  });
});
