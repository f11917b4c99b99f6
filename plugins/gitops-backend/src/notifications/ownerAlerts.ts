/** A condition an entity's owner is told about. */
export const ALERT_CONDITIONS = [
  'disconnected',
  'degraded',
  'outOfSync',
] as const;
export type AlertCondition = (typeof ALERT_CONDITIONS)[number];

/** What is known of one linked resource between checks. Times are epoch milliseconds. */
export interface AlertState {
  /** The condition last observed; null when the resource is fine. */
  condition: AlertCondition | null;
  /** When that condition was first observed. */
  since: number;
  /** The condition the owner's notification shows; null when none is open. */
  notified: AlertCondition | null;
}

export interface AlertThresholds {
  /** How long a Degraded health (or a recovery) must last before the owner hears of it. */
  debounceMs: number;
  /** How long a resource must stay OutOfSync before the owner hears of it. */
  outOfSyncMs: number;
}

export type AlertTransition = 'raised' | 'resolved';

function waitFor(state: AlertState, thresholds: AlertThresholds): number {
  if (state.condition === 'outOfSync' && state.notified === null) {
    return thresholds.outOfSyncMs;
  }
  // A disconnected cluster has already been silent for 15 minutes: no more waiting.
  if (state.condition === 'disconnected') {
    return 0;
  }
  return thresholds.debounceMs;
}

/**
 * The next state of a resource's alert after one observation, and whether the owner is
 * to be told. A condition that does not last its threshold (a flap) is never told;
 * a change between two conditions, or a recovery, updates the open notification.
 */
export function nextAlertState(
  previous: AlertState | undefined,
  observed: AlertCondition | null,
  now: number,
  thresholds: AlertThresholds,
): { state: AlertState; transition?: AlertTransition } {
  const base = previous ?? { condition: null, since: now, notified: null };
  const state: AlertState =
    base.condition === observed
      ? { ...base }
      : { condition: observed, since: now, notified: base.notified };
  if (
    state.notified === state.condition ||
    now - state.since < waitFor(state, thresholds)
  ) {
    return { state };
  }
  const transition: AlertTransition =
    state.condition === null ? 'resolved' : 'raised';
  return { state: { ...state, notified: state.condition }, transition };
}

/** The worst condition of a resource; a disconnected cluster hides what it last said. */
export function observedCondition(resource: {
  clusterDisconnected: boolean;
  healthStatus: string;
  syncStatus: string;
}): AlertCondition | null {
  if (resource.clusterDisconnected) {
    return 'disconnected';
  }
  if (resource.healthStatus === 'Degraded') {
    return 'degraded';
  }
  if (resource.syncStatus === 'OutOfSync') {
    return 'outOfSync';
  }
  return null;
}
