import type {
  DeploymentOutcome,
  EpisodeKind,
  HealthStatus,
  SyncStatus,
} from '@shoehorn/plugin-gitops-common';

/** What the tracker reads of one observation of a resource. */
export interface ObservedState {
  syncStatus: SyncStatus | string;
  healthStatus: HealthStatus | string;
  /** The revision the tool reports as applied. */
  revision: string | null;
  /** The revision the tool is trying to apply. */
  targetRevision: string | null;
}

/** A deployment that has not ended yet. */
export interface OpenDeployment {
  toRevision: string;
}

/** What one observation does to a resource's deployments and episodes. */
export interface TrackingStep {
  /** Ends the open deployment with this outcome. */
  endOpen?: DeploymentOutcome;
  /** Starts a deployment (after endOpen, if both). */
  start?: { fromRevision: string | null; toRevision: string };
  /** Ends the new deployment at once (it started and ended in this observation). */
  endStarted?: DeploymentOutcome;
  openEpisodes: EpisodeKind[];
  closeEpisodes: EpisodeKind[];
}

/** The revision a change of state asks for, if it starts a deployment. */
function wantedRevision(
  previous: ObservedState,
  current: ObservedState,
): string | null {
  if (current.revision !== null && current.revision !== previous.revision) {
    return current.revision;
  }
  if (
    current.targetRevision !== null &&
    current.targetRevision !== previous.targetRevision &&
    current.targetRevision !== current.revision
  ) {
    return current.targetRevision;
  }
  return null;
}

/** The outcome a deployment to `toRevision` reaches in `state`, or undefined while in progress. */
export function outcomeOf(
  toRevision: string,
  state: ObservedState,
): DeploymentOutcome | undefined {
  const reached = state.revision === toRevision;
  if (state.healthStatus === 'Degraded') {
    return reached ? 'degraded' : 'failed';
  }
  if (
    reached &&
    state.syncStatus === 'Synced' &&
    state.healthStatus === 'Healthy'
  ) {
    return 'succeeded';
  }
  return undefined;
}

function episodeActive(kind: EpisodeKind, state: ObservedState): boolean {
  return kind === 'degraded'
    ? state.healthStatus === 'Degraded'
    : state.syncStatus === 'OutOfSync';
}

/** Degraded lasts until Healthy (Progressing is not yet restored); OutOfSync until not. */
function episodeOver(kind: EpisodeKind, state: ObservedState): boolean {
  return kind === 'degraded'
    ? state.healthStatus === 'Healthy'
    : state.syncStatus !== 'OutOfSync';
}

const KINDS: EpisodeKind[] = ['degraded', 'outOfSync'];

/**
 * One observation of a resource. Without a previous observation (first seen) no deployment
 * starts, since where it came from is unknown; episodes still open.
 */
export function trackObservation(input: {
  previous: ObservedState | undefined;
  current: ObservedState;
  open: OpenDeployment | undefined;
  openEpisodes: ReadonlySet<EpisodeKind>;
}): TrackingStep {
  const { previous, current, open, openEpisodes } = input;
  const step: TrackingStep = { openEpisodes: [], closeEpisodes: [] };

  const wanted = previous ? wantedRevision(previous, current) : null;
  let active = open;
  if (wanted !== null && open?.toRevision !== wanted) {
    if (open) {
      step.endOpen = 'superseded';
    }
    step.start = { fromRevision: previous!.revision, toRevision: wanted };
    active = { toRevision: wanted };
  }
  if (active) {
    const outcome = outcomeOf(active.toRevision, current);
    if (outcome) {
      if (step.start) {
        step.endStarted = outcome;
      } else {
        step.endOpen = outcome;
      }
    }
  }

  for (const kind of KINDS) {
    if (openEpisodes.has(kind)) {
      if (episodeOver(kind, current)) {
        step.closeEpisodes.push(kind);
      }
    } else if (episodeActive(kind, current)) {
      step.openEpisodes.push(kind);
    }
  }
  return step;
}
