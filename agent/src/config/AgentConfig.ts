import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  GITOPS_TOOLS,
  GitOpsTool,
  AGENT_HEARTBEAT_INTERVAL_MS,
} from '@shoehorn/plugin-gitops-common';
import { LOG_LEVELS, LogLevel } from '../logging/Logger';

/** Namespaces to watch: a list, or every namespace. */
export type NamespaceSelection =
  | { all: true }
  | { all: false; names: string[] };

/** The agent's validated configuration. */
export interface AgentConfig {
  backendUrl: string;
  agentToken: string;
  /** Whether plain http backend and ArgoCD URLs are accepted (loopback and demos only). */
  allowHttp: boolean;
  tool: GitOpsTool;
  argocdNamespaces: NamespaceSelection;
  /** Namespace of the ArgoCD control plane; apps elsewhere are addressed with appNamespace. */
  argocdControlPlaneNamespace: string;
  fluxNamespaces: NamespaceSelection;
  argocdServerUrl?: string;
  argocdToken?: string;
  flushIntervalMs: number;
  flushMaxObjects: number;
  snapshotIntervalMs: number;
  heartbeatIntervalMs: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  bufferMaxObjects: number;
  watchdogMs: number;
  crdRetryMs: number;
  commandPollWaitSeconds: number;
  fluxReconcileWaitMs: number;
  /** Whether the agent runs sync/refresh commands at all (false: read-only). */
  commandsEnabled: boolean;
  /** The cluster's name, for logs only: the backend derives it from the credential. */
  clusterName?: string;
  leaderElection: boolean;
  leaseName: string;
  leaseDurationSeconds: number;
  podNamespace: string;
  podName: string;
  httpPort: number;
  logLevel: LogLevel;
}

/** Thrown for invalid configuration; lists every bad key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid agent configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Every key the agent reads, with its meaning (documented in agent/README.md). */
export const CONFIG_KEYS = [
  'GITOPS_BACKEND_URL',
  'GITOPS_ALLOW_HTTP',
  'GITOPS_AGENT_TOKEN',
  'GITOPS_AGENT_TOKEN_FILE',
  'GITOPS_TOOL',
  'GITOPS_ARGOCD_NAMESPACES',
  'GITOPS_ARGOCD_CONTROL_PLANE_NAMESPACE',
  'GITOPS_FLUX_NAMESPACES',
  'GITOPS_ARGOCD_SERVER_URL',
  'GITOPS_ARGOCD_TOKEN',
  'GITOPS_ARGOCD_TOKEN_FILE',
  'GITOPS_FLUSH_INTERVAL_MS',
  'GITOPS_FLUSH_MAX_OBJECTS',
  'GITOPS_SNAPSHOT_INTERVAL_MS',
  'GITOPS_HEARTBEAT_INTERVAL_MS',
  'GITOPS_BACKOFF_MIN_MS',
  'GITOPS_BACKOFF_MAX_MS',
  'GITOPS_BUFFER_MAX_OBJECTS',
  'GITOPS_WATCHDOG_MS',
  'GITOPS_CRD_RETRY_MS',
  'GITOPS_COMMAND_POLL_WAIT_SECONDS',
  'GITOPS_FLUX_RECONCILE_WAIT_MS',
  'GITOPS_COMMANDS',
  'GITOPS_CLUSTER',
  'GITOPS_LEADER_ELECTION',
  'GITOPS_LEASE_NAME',
  'GITOPS_LEASE_DURATION_SECONDS',
  'POD_NAMESPACE',
  'POD_NAME',
  'GITOPS_HTTP_PORT',
  'GITOPS_LOG_LEVEL',
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Raw settings: environment variables, optionally merged over a YAML file of the same keys. */
export type RawConfig = Partial<
  Record<string, string | number | boolean | undefined>
>;

/**
 * Reads the configuration: keys from the YAML file named by GITOPS_AGENT_CONFIG_FILE (if set),
 * overridden by environment variables of the same name. Throws ConfigError naming each bad key.
 */
export function loadAgentConfig(
  env: NodeJS.ProcessEnv = process.env,
): AgentConfig {
  let fromFile: RawConfig = {};
  const file = env.GITOPS_AGENT_CONFIG_FILE;
  if (file) {
    try {
      const parsed = parseYaml(fs.readFileSync(file, 'utf8'));
      if (
        parsed !== null &&
        (typeof parsed !== 'object' || Array.isArray(parsed))
      ) {
        throw new Error('expected a map of KEY: value');
      }
      fromFile = parsed ?? {};
    } catch (e) {
      throw new ConfigError([
        `GITOPS_AGENT_CONFIG_FILE: cannot read ${file}: ${
          (e as Error).message
        }`,
      ]);
    }
    const unknown = Object.keys(fromFile).filter(
      k => !(CONFIG_KEYS as readonly string[]).includes(k),
    );
    if (unknown.length > 0) {
      throw new ConfigError(unknown.map(k => `${k}: unknown key in ${file}`));
    }
  }
  const raw: RawConfig = { ...fromFile };
  for (const key of CONFIG_KEYS) {
    if (env[key] !== undefined && env[key] !== '') raw[key] = env[key];
  }
  return parseAgentConfig(raw);
}

/** Validates raw settings (no file or environment access). */
export function parseAgentConfig(raw: RawConfig): AgentConfig {
  const problems: string[] = [];
  const str = (key: ConfigKey): string | undefined => {
    const v = raw[key];
    if (v === undefined || v === null || v === '') return undefined;
    return String(v);
  };
  const secret = (
    key: ConfigKey,
    fileKey: ConfigKey,
    required: boolean,
  ): string | undefined => {
    const direct = str(key);
    const file = str(fileKey);
    if (direct && file) {
      problems.push(`${key}: set either ${key} or ${fileKey}, not both`);
      return undefined;
    }
    if (file) {
      try {
        const value = fs.readFileSync(file, 'utf8').trim();
        if (!value) problems.push(`${fileKey}: ${file} is empty`);
        return value || undefined;
      } catch (e) {
        problems.push(
          `${fileKey}: cannot read ${file}: ${(e as Error).message}`,
        );
        return undefined;
      }
    }
    if (!direct && required) problems.push(`${key}: required (or ${fileKey})`);
    return direct;
  };
  const int = (
    key: ConfigKey,
    fallback: number,
    min: number,
    max = Number.MAX_SAFE_INTEGER,
  ): number => {
    const v = str(key);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(
        `${key}: must be an integer between ${min} and ${max} (got '${v}')`,
      );
      return fallback;
    }
    return n;
  };
  const bool = (key: ConfigKey, fallback: boolean): boolean => {
    const v = str(key);
    if (v === undefined) return fallback;
    if (/^(true|1|yes)$/i.test(v)) return true;
    if (/^(false|0|no)$/i.test(v)) return false;
    problems.push(`${key}: must be true or false (got '${v}')`);
    return fallback;
  };
  const allowHttp = bool('GITOPS_ALLOW_HTTP', false);
  const url = (key: ConfigKey, required: boolean): string | undefined => {
    const v = str(key);
    if (!v) {
      if (required) problems.push(`${key}: required`);
      return undefined;
    }
    let protocol: string;
    try {
      protocol = new URL(v).protocol;
    } catch {
      protocol = '';
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      problems.push(`${key}: must be an http(s) URL (got '${v}')`);
      return undefined;
    }
    if (protocol === 'http:' && !allowHttp) {
      problems.push(
        `${key}: must be an https URL (got '${v}'); set GITOPS_ALLOW_HTTP=true to send the token over plain http`,
      );
      return undefined;
    }
    return v.replace(/\/+$/, '');
  };
  const namespaces = (
    key: ConfigKey,
    fallback: NamespaceSelection,
  ): NamespaceSelection => {
    const v = str(key);
    if (v === undefined) return fallback;
    const names = v
      .split(',')
      .map(s => s.trim())
      .filter(Boolean);
    if (names.includes('*')) {
      if (names.length > 1)
        problems.push(
          `${key}: '*' (all namespaces) cannot be combined with names`,
        );
      return { all: true };
    }
    const bad = names.filter(
      n => !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(n),
    );
    if (names.length === 0)
      problems.push(`${key}: must name at least one namespace, or '*'`);
    if (bad.length > 0)
      problems.push(`${key}: not a valid namespace name: ${bad.join(', ')}`);
    return { all: false, names };
  };

  const toolValue = str('GITOPS_TOOL');
  let tool: GitOpsTool = 'argocd';
  if (!toolValue) {
    problems.push(`GITOPS_TOOL: required, one of ${GITOPS_TOOLS.join(', ')}`);
  } else if (!(GITOPS_TOOLS as readonly string[]).includes(toolValue)) {
    problems.push(
      `GITOPS_TOOL: must be one of ${GITOPS_TOOLS.join(
        ', ',
      )} (got '${toolValue}')`,
    );
  } else {
    tool = toolValue as GitOpsTool;
  }
  const logLevelValue = str('GITOPS_LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevelValue)) {
    problems.push(
      `GITOPS_LOG_LEVEL: must be one of ${LOG_LEVELS.join(
        ', ',
      )} (got '${logLevelValue}')`,
    );
  }

  const argocdNamespaces = namespaces('GITOPS_ARGOCD_NAMESPACES', {
    all: false,
    names: ['argocd'],
  });
  const config: AgentConfig = {
    backendUrl: url('GITOPS_BACKEND_URL', true) ?? '',
    allowHttp,
    agentToken:
      secret('GITOPS_AGENT_TOKEN', 'GITOPS_AGENT_TOKEN_FILE', true) ?? '',
    tool,
    argocdNamespaces,
    argocdControlPlaneNamespace:
      str('GITOPS_ARGOCD_CONTROL_PLANE_NAMESPACE') ??
      (argocdNamespaces.all ? 'argocd' : argocdNamespaces.names[0] ?? 'argocd'),
    fluxNamespaces: namespaces('GITOPS_FLUX_NAMESPACES', { all: true }),
    argocdServerUrl: url('GITOPS_ARGOCD_SERVER_URL', false),
    argocdToken: secret(
      'GITOPS_ARGOCD_TOKEN',
      'GITOPS_ARGOCD_TOKEN_FILE',
      false,
    ),
    flushIntervalMs: int('GITOPS_FLUSH_INTERVAL_MS', 1000, 10, 60_000),
    flushMaxObjects: int('GITOPS_FLUSH_MAX_OBJECTS', 500, 1, 10_000),
    snapshotIntervalMs: int('GITOPS_SNAPSHOT_INTERVAL_MS', 10 * 60_000, 1000),
    heartbeatIntervalMs: int(
      'GITOPS_HEARTBEAT_INTERVAL_MS',
      AGENT_HEARTBEAT_INTERVAL_MS / 2,
      100,
      AGENT_HEARTBEAT_INTERVAL_MS,
    ),
    backoffMinMs: int('GITOPS_BACKOFF_MIN_MS', 1000, 1),
    backoffMaxMs: int('GITOPS_BACKOFF_MAX_MS', 60_000, 1),
    bufferMaxObjects: int('GITOPS_BUFFER_MAX_OBJECTS', 100_000, 1),
    watchdogMs: int('GITOPS_WATCHDOG_MS', 5 * 60_000, 100),
    crdRetryMs: int('GITOPS_CRD_RETRY_MS', 15_000, 100),
    commandPollWaitSeconds: int('GITOPS_COMMAND_POLL_WAIT_SECONDS', 25, 0, 30),
    fluxReconcileWaitMs: int('GITOPS_FLUX_RECONCILE_WAIT_MS', 5000, 0, 600_000),
    commandsEnabled: bool('GITOPS_COMMANDS', true),
    clusterName: str('GITOPS_CLUSTER'),
    leaderElection: bool('GITOPS_LEADER_ELECTION', false),
    leaseName: str('GITOPS_LEASE_NAME') ?? 'gitops-agent',
    leaseDurationSeconds: int('GITOPS_LEASE_DURATION_SECONDS', 15, 2, 3600),
    podNamespace: str('POD_NAMESPACE') ?? 'default',
    podName: str('POD_NAME') ?? `gitops-agent-${process.pid}`,
    httpPort: int('GITOPS_HTTP_PORT', 8080, 0, 65535),
    logLevel: logLevelValue as LogLevel,
  };
  if (config.backoffMaxMs < config.backoffMinMs) {
    problems.push(
      'GITOPS_BACKOFF_MAX_MS: must not be below GITOPS_BACKOFF_MIN_MS',
    );
  }
  if (config.argocdToken && !config.argocdServerUrl) {
    problems.push(
      'GITOPS_ARGOCD_SERVER_URL: required when an ArgoCD token is set',
    );
  }
  if (config.leaderElection && !str('POD_NAMESPACE')) {
    problems.push(
      'POD_NAMESPACE: required when GITOPS_LEADER_ELECTION is true (where the Lease lives)',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
