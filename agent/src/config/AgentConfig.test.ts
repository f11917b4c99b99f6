import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadAgentConfig, parseAgentConfig } from './AgentConfig';

const minimal = {
  GITOPS_BACKEND_URL: 'https://portal.example.com',
  GITOPS_AGENT_TOKEN: 't',
  GITOPS_TOOL: 'argocd',
};

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

jest.setTimeout(60_000);

describe('agent configuration', () => {
  it('applies the documented defaults', () => {
    const config = parseAgentConfig(minimal);
    expect(config).toMatchObject({
      backendUrl: 'https://portal.example.com',
      tool: 'argocd',
      argocdNamespaces: { all: false, names: ['argocd'] },
      argocdControlPlaneNamespace: 'argocd',
      fluxNamespaces: { all: true },
      flushIntervalMs: 1000,
      flushMaxObjects: 500,
      snapshotIntervalMs: 600_000,
      backoffMinMs: 1000,
      backoffMaxMs: 60_000,
      commandPollWaitSeconds: 25,
      leaderElection: false,
      httpPort: 8080,
    });
    expect(config.heartbeatIntervalMs).toBeLessThanOrEqual(60_000);
    expect(config.argocdToken).toBeUndefined();
  });

  it('reads namespace lists and all namespaces', () => {
    expect(
      parseAgentConfig({
        ...minimal,
        GITOPS_ARGOCD_NAMESPACES: 'argocd, team-a,team-b',
      }).argocdNamespaces,
    ).toEqual({ all: false, names: ['argocd', 'team-a', 'team-b'] });
    expect(
      parseAgentConfig({ ...minimal, GITOPS_ARGOCD_NAMESPACES: '*' })
        .argocdNamespaces,
    ).toEqual({ all: true });
    expect(
      parseAgentConfig({ ...minimal, GITOPS_FLUX_NAMESPACES: 'flux-system' })
        .fluxNamespaces,
    ).toEqual({ all: false, names: ['flux-system'] });
  });

  it('names every bad key in one error', () => {
    const problems = problemsOf(() =>
      parseAgentConfig({
        GITOPS_BACKEND_URL: 'ftp://x',
        GITOPS_TOOL: 'jenkins',
        GITOPS_FLUSH_INTERVAL_MS: 'soon',
        GITOPS_ARGOCD_NAMESPACES: 'Bad_NS',
        GITOPS_LEADER_ELECTION: 'maybe',
        GITOPS_ARGOCD_TOKEN: 'tok',
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GITOPS_BACKEND_URL: must be an http\(s\) URL/),
        expect.stringMatching(/^GITOPS_AGENT_TOKEN: required/),
        expect.stringMatching(
          /^GITOPS_TOOL: must be one of argocd, fluxcd \(got 'jenkins'\)/,
        ),
        expect.stringMatching(/^GITOPS_FLUSH_INTERVAL_MS: must be an integer/),
        expect.stringMatching(
          /^GITOPS_ARGOCD_NAMESPACES: not a valid namespace name: Bad_NS/,
        ),
        expect.stringMatching(/^GITOPS_LEADER_ELECTION: must be true or false/),
        expect.stringMatching(
          /^GITOPS_ARGOCD_SERVER_URL: required when an ArgoCD token is set/,
        ),
      ]),
    );
    expect(problems).toHaveLength(7);
  });

  it('reads tokens from mounted files and rejects setting both forms', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-config-'));
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, 'from-file\n');
    const config = parseAgentConfig({
      ...minimal,
      GITOPS_AGENT_TOKEN: undefined,
      GITOPS_AGENT_TOKEN_FILE: tokenFile,
    });
    expect(config.agentToken).toBe('from-file');
    expect(
      problemsOf(() =>
        parseAgentConfig({ ...minimal, GITOPS_AGENT_TOKEN_FILE: tokenFile }),
      ),
    ).toEqual([
      'GITOPS_AGENT_TOKEN: set either GITOPS_AGENT_TOKEN or GITOPS_AGENT_TOKEN_FILE, not both',
    ]);
    expect(
      problemsOf(() =>
        parseAgentConfig({
          ...minimal,
          GITOPS_AGENT_TOKEN: undefined,
          GITOPS_AGENT_TOKEN_FILE: path.join(dir, 'nope'),
        }),
      ),
    ).toEqual([
      expect.stringMatching(/^GITOPS_AGENT_TOKEN_FILE: cannot read .*nope/),
    ]);
    fs.rmSync(dir, { recursive: true });
  });

  it('merges a YAML file under the environment and rejects unknown keys in it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-config-'));
    const file = path.join(dir, 'agent.yaml');
    fs.writeFileSync(
      file,
      'GITOPS_TOOL: fluxcd\nGITOPS_FLUX_NAMESPACES: flux-system\nGITOPS_FLUSH_MAX_OBJECTS: 200\n',
    );
    const config = loadAgentConfig({
      GITOPS_AGENT_CONFIG_FILE: file,
      GITOPS_BACKEND_URL: 'http://backstage:7007',
      GITOPS_ALLOW_HTTP: 'true',
      GITOPS_AGENT_TOKEN: 't',
      GITOPS_FLUSH_MAX_OBJECTS: '300',
    });
    expect(config).toMatchObject({
      tool: 'fluxcd',
      flushMaxObjects: 300,
      fluxNamespaces: { all: false, names: ['flux-system'] },
    });
    fs.writeFileSync(file, 'GITOPS_TOOL: fluxcd\nGITOPS_TOLL: x\n');
    expect(
      problemsOf(() => loadAgentConfig({ GITOPS_AGENT_CONFIG_FILE: file })),
    ).toEqual([`GITOPS_TOLL: unknown key in ${file}`]);
    fs.rmSync(dir, { recursive: true });
  });

  it('reads the settings the Helm chart sets', () => {
    expect(
      parseAgentConfig({
        ...minimal,
        GITOPS_COMMANDS: 'false',
        GITOPS_CLUSTER: 'prod-eu',
        GITOPS_ARGOCD_CONTROL_PLANE_NAMESPACE: 'argocd',
        GITOPS_ARGOCD_NAMESPACES: 'argocd,apps',
        GITOPS_LEASE_NAME: 'gitops-agent-leader',
        GITOPS_HTTP_PORT: '9090',
        GITOPS_LOG_LEVEL: 'debug',
      }),
    ).toMatchObject({
      commandsEnabled: false,
      clusterName: 'prod-eu',
      argocdNamespaces: { all: false, names: ['argocd', 'apps'] },
      leaseName: 'gitops-agent-leader',
      httpPort: 9090,
      logLevel: 'debug',
    });
  });

  it('requires POD_NAMESPACE for leader election', () => {
    expect(
      problemsOf(() =>
        parseAgentConfig({ ...minimal, GITOPS_LEADER_ELECTION: 'true' }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^POD_NAMESPACE: required when GITOPS_LEADER_ELECTION is true/,
      ),
    ]);
  });

  it('requires https for the backend and ArgoCD URLs unless plain http is allowed', () => {
    const plain = {
      ...minimal,
      GITOPS_BACKEND_URL: 'http://portal.example.com',
      GITOPS_ARGOCD_SERVER_URL: 'http://argocd.example.com',
    };
    expect(problemsOf(() => parseAgentConfig(plain))).toEqual([
      expect.stringMatching(
        /^GITOPS_BACKEND_URL: must be an https URL .*GITOPS_ALLOW_HTTP=true/,
      ),
      expect.stringMatching(/^GITOPS_ARGOCD_SERVER_URL: must be an https URL/),
    ]);
    expect(
      parseAgentConfig({ ...plain, GITOPS_ALLOW_HTTP: 'true' }),
    ).toMatchObject({
      allowHttp: true,
      backendUrl: 'http://portal.example.com',
      argocdServerUrl: 'http://argocd.example.com',
    });
    expect(parseAgentConfig(minimal).allowHttp).toBe(false);
  });
});
