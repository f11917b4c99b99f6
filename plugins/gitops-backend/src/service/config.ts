import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  ALLOW_COMMANDS_ON_NAME_MATCH_KEY,
  DEFAULT_CHANGE_NOTICE_INTERVAL_MS,
  DEFAULT_MAX_SNAPSHOT_PARTS,
  DEFAULT_MAX_STAGED_BYTES,
} from '@shoehorn/plugin-gitops-common';

/** Settings of the gitops plugin, read once at startup (see config.d.ts). */
export interface GitOpsConfig {
  /** Agent credential subject → the one tenant and cluster it may write. */
  agents: Map<string, { tenant: string; cluster: string }>;
  /** The tenant whose data portal users see. */
  userTenant: string;
  statusHistoryRetentionMs: number;
  commandRetentionMs: number;
  commandTtlMs: number;
  commandLeaseMs: number;
  /** How often each replica's safety poll looks for commands its waiting long-polls missed. */
  commandPollIntervalMs: number;
  catalogRefreshIntervalMs: number;
  /** At most one change notice (signal) per tenant per this interval. */
  changeNoticeIntervalMs: number;
  /** How often heartbeats (last-seen times) buffered in memory are written. */
  lastSeenFlushIntervalMs: number;
  /** How long deployments and metric episodes are kept. */
  historyRetentionMs: number;
  /** How long after a deployment a Degraded state still counts as its failure. */
  failureWindowMs: number;
  /** Bounds of split-snapshot staging. */
  staging: StagingLimits;
  /** Namespaces the name rule searches; false turns the rule off. */
  nameMatchNamespaces: string[] | false;
  /** Whether Sync and Refresh run on a resource linked only by name. */
  allowCommandsOnNameMatch: boolean;
}

/** How much a cluster may stage of split snapshots. */
export interface StagingLimits {
  /** Most parts one snapshot may be split into. */
  maxSnapshotParts: number;
  /** Most bytes of staged parts one cluster may hold at a time. */
  maxStagedBytes: number;
}

export const DEFAULT_TENANT = 'default';

function positiveInteger(config: Config, key: string, fallback: number) {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${key}: must be a positive integer, got ${value}`);
  }
  return value;
}

function durationMs(config: Config, key: string, fallbackMs: number): number {
  return config.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : fallbackMs;
}

/** `gitops.linking.nameMatch`: a list of namespaces, or false; default the `default` namespace. */
function readNameMatch(config: Config): string[] | false {
  const key = 'gitops.linking.nameMatch';
  if (!config.has(key)) {
    return ['default'];
  }
  const value = config.get(key);
  if (value === false) {
    return false;
  }
  return config.getStringArray(key).map(ns => ns.toLowerCase());
}

export function readGitOpsConfig(config: Config): GitOpsConfig {
  const agents = new Map<string, { tenant: string; cluster: string }>();
  for (const agent of config.getOptionalConfigArray('gitops.agents') ?? []) {
    const subject = agent.getString('subject');
    if (agents.has(subject)) {
      throw new Error(`gitops.agents: subject ${subject} is mapped twice`);
    }
    agents.set(subject, {
      tenant: agent.getOptionalString('tenant') ?? DEFAULT_TENANT,
      cluster: agent.getString('cluster'),
    });
  }
  const day = 24 * 60 * 60 * 1000;
  return {
    agents,
    userTenant: config.getOptionalString('gitops.userTenant') ?? DEFAULT_TENANT,
    statusHistoryRetentionMs: durationMs(
      config,
      'gitops.retention.statusHistory',
      30 * day,
    ),
    commandRetentionMs: durationMs(
      config,
      'gitops.retention.commands',
      30 * day,
    ),
    commandTtlMs: durationMs(config, 'gitops.commands.ttl', 10 * 60 * 1000),
    commandLeaseMs: durationMs(config, 'gitops.commands.lease', 60 * 1000),
    commandPollIntervalMs: durationMs(
      config,
      'gitops.commands.pollInterval',
      10_000,
    ),
    catalogRefreshIntervalMs: durationMs(
      config,
      'gitops.linking.catalogRefreshInterval',
      5 * 60 * 1000,
    ),
    changeNoticeIntervalMs: durationMs(
      config,
      'gitops.signals.interval',
      DEFAULT_CHANGE_NOTICE_INTERVAL_MS,
    ),
    lastSeenFlushIntervalMs: durationMs(
      config,
      'gitops.heartbeats.flushInterval',
      5000,
    ),
    historyRetentionMs: durationMs(
      config,
      'gitops.history.retention',
      90 * day,
    ),
    failureWindowMs: durationMs(
      config,
      'gitops.history.failureWindow',
      60 * 60 * 1000,
    ),
    staging: {
      maxSnapshotParts: positiveInteger(
        config,
        'gitops.push.maxSnapshotParts',
        DEFAULT_MAX_SNAPSHOT_PARTS,
      ),
      maxStagedBytes: positiveInteger(
        config,
        'gitops.push.maxStagedBytes',
        DEFAULT_MAX_STAGED_BYTES,
      ),
    },
    nameMatchNamespaces: readNameMatch(config),
    allowCommandsOnNameMatch:
      config.getOptionalBoolean(ALLOW_COMMANDS_ON_NAME_MATCH_KEY) ?? false,
  };
}
