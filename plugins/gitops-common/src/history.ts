/*
 * Deployment history and delivery metrics: the enums and response shapes of
 * `GET /v1/.../deployments` and `GET /v1/.../metrics` (see the backend's openapi.yaml).
 */

/**
 * How a deployment ended: the resource reached the revision Synced and Healthy; went
 * Degraded before reaching it; reached it and went Degraded; or a newer revision was
 * wanted before either happened. @public
 */
export const DEPLOYMENT_OUTCOMES = [
  'succeeded',
  'failed',
  'degraded',
  'superseded',
] as const;
/** @public */
export type DeploymentOutcome = (typeof DEPLOYMENT_OUTCOMES)[number];

/** Display text of the deployment outcomes. @public */
export const DEPLOYMENT_OUTCOME_LABELS: Record<DeploymentOutcome, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  degraded: 'Degraded',
  superseded: 'Superseded',
};

/** Outcomes that count as a failed change. @public */
export const FAILED_DEPLOYMENT_OUTCOMES: readonly DeploymentOutcome[] = [
  'failed',
  'degraded',
];

/** Spans of time a resource spent in a bad state, measured for the metrics. @public */
export const EPISODE_KINDS = ['degraded', 'outOfSync'] as const;
/** @public */
export type EpisodeKind = (typeof EPISODE_KINDS)[number];

/** The windows, in days, metrics are reported over. @public */
export const METRIC_WINDOW_DAYS = [7, 30, 90] as const;

/** Days covered by the daily series of a metrics response. @public */
export const METRIC_SERIES_DAYS = 30;

/** One revision change of a resource. @public */
export interface DeploymentView {
  id: string;
  resourceId: string;
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
  /** The entity the resource was linked to when the deployment started. */
  entityRef: string | null;
  /** The source repository URL at the time, for commit links. */
  sourceUrl: string | null;
  fromRevision: string | null;
  toRevision: string;
  startedAt: string;
  /** Null while the deployment is in progress. */
  endedAt: string | null;
  outcome: DeploymentOutcome | null;
}

/** @public */
export interface DeploymentListResponse {
  items: DeploymentView[];
}

/** Delivery metrics over one window ending now. @public */
export interface DeliveryMetrics {
  windowDays: number;
  deployments: number;
  /** Deployments per day over the window. */
  deploymentsPerDay: number;
  /** Deployments that failed, went Degraded, or were followed by Degraded within the failure window. */
  failedDeployments: number;
  /** failedDeployments / deployments; null without deployments. */
  changeFailureRate: number | null;
  /** Degraded → Healthy recoveries that ended in the window. */
  restores: number;
  /** Mean Degraded → Healthy time of those recoveries; null without any. */
  meanTimeToRestoreMs: number | null;
  /** Time spent OutOfSync within the window, summed over resources. */
  outOfSyncMs: number;
}

/** Deployments of one UTC day. @public */
export interface DailyDeployments {
  /** YYYY-MM-DD */
  day: string;
  deployments: number;
  failed: number;
}

/** @public */
export interface DeliveryMetricsResponse {
  computedAt: string;
  /** How long after a deployment a Degraded state still counts against it. */
  failureWindowMs: number;
  windows: DeliveryMetrics[];
  /** The last {@link METRIC_SERIES_DAYS} days, oldest first. */
  daily: DailyDeployments[];
}

/** Metrics of the entities a group owns. @public */
export interface GroupDeliveryMetricsResponse extends DeliveryMetricsResponse {
  groupRef: string;
  /** The owned entities the metrics cover. */
  entityRefs: string[];
}
