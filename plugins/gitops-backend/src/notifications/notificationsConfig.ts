import { Config, readDurationFromConfig } from '@backstage/config';
import type { NotificationSeverity } from '@backstage/plugin-notifications-common';
import { durationToMilliseconds } from '@backstage/types';

const SEVERITIES: NotificationSeverity[] = [
  'critical',
  'high',
  'normal',
  'low',
];

/** Kinds of GitOps notification, each with its own configurable severity. */
export const NOTIFICATION_KINDS = [
  'degraded',
  'outOfSync',
  'disconnected',
  'resolved',
  'commandSucceeded',
  'commandFailed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

const DEFAULT_SEVERITY: Record<NotificationKind, NotificationSeverity> = {
  degraded: 'high',
  outOfSync: 'normal',
  disconnected: 'high',
  resolved: 'low',
  commandSucceeded: 'low',
  commandFailed: 'high',
};

/** Settings under gitops.notifications (see config.d.ts). */
export interface GitOpsNotificationsConfig {
  enabled: boolean;
  checkIntervalMs: number;
  debounceMs: number;
  outOfSyncMs: number;
  severity: Record<NotificationKind, NotificationSeverity>;
}

function durationMs(config: Config, key: string, fallbackMs: number): number {
  return config.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : fallbackMs;
}

export function readNotificationsConfig(
  config: Config,
): GitOpsNotificationsConfig {
  const root = 'gitops.notifications';
  const severity = { ...DEFAULT_SEVERITY };
  for (const kind of NOTIFICATION_KINDS) {
    const key = `${root}.severity.${kind}`;
    const value = config.getOptionalString(key);
    if (value === undefined) {
      continue;
    }
    if (!SEVERITIES.includes(value as NotificationSeverity)) {
      throw new Error(
        `${key}: ${JSON.stringify(value)} is not one of ${SEVERITIES.join(
          ', ',
        )}`,
      );
    }
    severity[kind] = value as NotificationSeverity;
  }
  return {
    enabled: config.getOptionalBoolean(`${root}.enabled`) ?? true,
    checkIntervalMs: durationMs(config, `${root}.checkInterval`, 60 * 1000),
    debounceMs: durationMs(config, `${root}.debounce`, 5 * 60 * 1000),
    outOfSyncMs: durationMs(config, `${root}.outOfSyncAfter`, 30 * 60 * 1000),
    severity,
  };
}
