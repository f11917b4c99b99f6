import {
  FAILED_DEPLOYMENT_OUTCOMES,
  METRIC_SERIES_DAYS,
  METRIC_WINDOW_DAYS,
  type DailyDeployments,
  type DeliveryMetrics,
  type DeliveryMetricsResponse,
  type DeploymentOutcome,
  type EpisodeKind,
} from '@shoehorn/plugin-gitops-common';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** What the metrics read of a deployment. Times are epoch milliseconds. */
export interface DeploymentFact {
  resourceId: string;
  startedAt: number;
  endedAt: number | null;
  outcome: DeploymentOutcome | null;
}

export interface EpisodeFact {
  resourceId: string;
  kind: EpisodeKind;
  startedAt: number;
  endedAt: number | null;
}

/**
 * Marks each deployment failed when it ended failed or degraded, or when its resource went
 * Degraded after it started and within `failureWindowMs` of its end, before that resource's
 * next deployment started (so one Degraded is blamed on one change).
 */
export function failedDeployments(
  deployments: DeploymentFact[],
  episodes: EpisodeFact[],
  failureWindowMs: number,
  now: number,
): Set<DeploymentFact> {
  const degradedStarts = new Map<string, number[]>();
  for (const e of episodes) {
    if (e.kind === 'degraded') {
      const starts = degradedStarts.get(e.resourceId) ?? [];
      starts.push(e.startedAt);
      degradedStarts.set(e.resourceId, starts);
    }
  }
  const byResource = new Map<string, DeploymentFact[]>();
  for (const d of deployments) {
    const list = byResource.get(d.resourceId) ?? [];
    list.push(d);
    byResource.set(d.resourceId, list);
  }
  const failed = new Set<DeploymentFact>();
  for (const [resourceId, list] of byResource) {
    list.sort((a, b) => a.startedAt - b.startedAt);
    const starts = degradedStarts.get(resourceId) ?? [];
    list.forEach((d, i) => {
      if (d.outcome && FAILED_DEPLOYMENT_OUTCOMES.includes(d.outcome)) {
        failed.add(d);
        return;
      }
      const next = list[i + 1]?.startedAt ?? Infinity;
      const until = Math.min((d.endedAt ?? now) + failureWindowMs, next);
      if (starts.some(s => s >= d.startedAt && s < until)) {
        failed.add(d);
      }
    });
  }
  return failed;
}

function windowMetrics(
  days: number,
  deployments: DeploymentFact[],
  failed: Set<DeploymentFact>,
  episodes: EpisodeFact[],
  now: number,
): DeliveryMetrics {
  const since = now - days * DAY_MS;
  const inWindow = deployments.filter(
    d => d.startedAt >= since && d.startedAt <= now,
  );
  const failedCount = inWindow.filter(d => failed.has(d)).length;
  const restores = episodes.filter(
    e =>
      e.kind === 'degraded' &&
      e.endedAt !== null &&
      e.endedAt >= since &&
      e.endedAt <= now,
  );
  const outOfSyncMs = episodes
    .filter(e => e.kind === 'outOfSync')
    .reduce((sum, e) => {
      const start = Math.max(e.startedAt, since);
      const end = Math.min(e.endedAt ?? now, now);
      return sum + Math.max(0, end - start);
    }, 0);
  return {
    windowDays: days,
    deployments: inWindow.length,
    deploymentsPerDay: inWindow.length / days,
    failedDeployments: failedCount,
    changeFailureRate: inWindow.length ? failedCount / inWindow.length : null,
    restores: restores.length,
    meanTimeToRestoreMs: restores.length
      ? restores.reduce((sum, e) => sum + (e.endedAt! - e.startedAt), 0) /
        restores.length
      : null,
    outOfSyncMs,
  };
}

function dailySeries(
  deployments: DeploymentFact[],
  failed: Set<DeploymentFact>,
  now: number,
): DailyDeployments[] {
  const today = Math.floor(now / DAY_MS);
  const days: DailyDeployments[] = [];
  for (let i = METRIC_SERIES_DAYS - 1; i >= 0; i--) {
    days.push({
      day: new Date((today - i) * DAY_MS).toISOString().slice(0, 10),
      deployments: 0,
      failed: 0,
    });
  }
  for (const d of deployments) {
    const index =
      Math.floor(d.startedAt / DAY_MS) - (today - METRIC_SERIES_DAYS + 1);
    if (index >= 0 && index < days.length && d.startedAt <= now) {
      days[index].deployments += 1;
      if (failed.has(d)) {
        days[index].failed += 1;
      }
    }
  }
  return days;
}

/** Delivery metrics over each of {@link METRIC_WINDOW_DAYS}, ending at `now`. */
export function computeDeliveryMetrics(input: {
  deployments: DeploymentFact[];
  episodes: EpisodeFact[];
  failureWindowMs: number;
  now: number;
}): DeliveryMetricsResponse {
  const { deployments, episodes, failureWindowMs, now } = input;
  const failed = failedDeployments(deployments, episodes, failureWindowMs, now);
  return {
    computedAt: new Date(now).toISOString(),
    failureWindowMs,
    windows: METRIC_WINDOW_DAYS.map(days =>
      windowMetrics(days, deployments, failed, episodes, now),
    ),
    daily: dailySeries(deployments, failed, now),
  };
}
