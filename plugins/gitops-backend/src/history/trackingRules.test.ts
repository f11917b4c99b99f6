import type { EpisodeKind } from '@shoehorn/plugin-gitops-common';
import {
  trackObservation,
  type ObservedState,
  type OpenDeployment,
  type TrackingStep,
} from './trackingRules';

const state = (
  syncStatus: string,
  healthStatus: string,
  revision: string | null,
  targetRevision: string | null = revision,
): ObservedState => ({ syncStatus, healthStatus, revision, targetRevision });

/** Replays observations of one resource and lists what each one did. */
function replay(states: ObservedState[]) {
  let open: OpenDeployment | undefined;
  const episodes = new Set<EpisodeKind>();
  const steps: TrackingStep[] = [];
  let previous: ObservedState | undefined;
  for (const current of states) {
    const step = trackObservation({
      previous,
      current,
      open,
      openEpisodes: episodes,
    });
    if (step.endOpen) {
      open = undefined;
    }
    if (step.start && !step.endStarted) {
      open = { toRevision: step.start.toRevision };
    }
    step.closeEpisodes.forEach(k => episodes.delete(k));
    step.openEpisodes.forEach(k => episodes.add(k));
    steps.push(step);
    previous = current;
  }
  return steps;
}

const summary = (steps: TrackingStep[]) =>
  steps.map(s =>
    [
      s.endOpen && `end:${s.endOpen}`,
      s.start && `start:${s.start.fromRevision}->${s.start.toRevision}`,
      s.endStarted && `now:${s.endStarted}`,
      ...s.openEpisodes.map(k => `+${k}`),
      ...s.closeEpisodes.map(k => `-${k}`),
    ]
      .filter(Boolean)
      .join(' '),
  );

describe('trackObservation', () => {
  it.each<[string, ObservedState[], string[]]>([
    [
      'first sight starts nothing, even when Degraded',
      [state('OutOfSync', 'Degraded', 'r1')],
      ['+degraded +outOfSync'],
    ],
    [
      'a new target, then reached Synced and Healthy',
      [
        state('Synced', 'Healthy', 'r1'),
        state('OutOfSync', 'Progressing', 'r1', 'r2'),
        state('Synced', 'Progressing', 'r2'),
        state('Synced', 'Healthy', 'r2'),
      ],
      ['', 'start:r1->r2 +outOfSync', '-outOfSync', 'end:succeeded'],
    ],
    [
      'a failed sync (Degraded before the revision is reached), then a fix',
      [
        state('Synced', 'Healthy', 'r1'),
        state('OutOfSync', 'Degraded', 'r1', 'r2'),
        state('OutOfSync', 'Healthy', 'r1', 'r3'),
        state('Synced', 'Healthy', 'r3'),
      ],
      [
        '',
        'start:r1->r2 now:failed +degraded +outOfSync',
        'start:r1->r3 -degraded',
        'end:succeeded -outOfSync',
      ],
    ],
    [
      'a rollback: the new revision goes Degraded, the old one comes back',
      [
        state('Synced', 'Healthy', 'r1'),
        state('Synced', 'Degraded', 'r2'),
        state('Synced', 'Healthy', 'r1'),
      ],
      [
        '',
        'start:r1->r2 now:degraded +degraded',
        'start:r2->r1 now:succeeded -degraded',
      ],
    ],
    [
      'a flap without a revision change opens and closes episodes only',
      [
        state('Synced', 'Healthy', 'r1'),
        state('Synced', 'Degraded', 'r1'),
        state('Synced', 'Healthy', 'r1'),
        state('Synced', 'Degraded', 'r1'),
        state('Synced', 'Progressing', 'r1'),
        state('Synced', 'Healthy', 'r1'),
      ],
      ['', '+degraded', '-degraded', '+degraded', '', '-degraded'],
    ],
    [
      'a newer target before the first is reached supersedes it',
      [
        state('Synced', 'Healthy', 'r1'),
        state('OutOfSync', 'Progressing', 'r1', 'r2'),
        state('OutOfSync', 'Progressing', 'r1', 'r3'),
        state('Synced', 'Healthy', 'r3'),
      ],
      [
        '',
        'start:r1->r2 +outOfSync',
        'end:superseded start:r1->r3',
        'end:succeeded -outOfSync',
      ],
    ],
  ])('%s', (_name, states, expected) => {
    expect(summary(replay(states))).toEqual(expected);
  });
});
