import {
  computeDeliveryMetrics,
  DAY_MS,
  type DeploymentFact,
  type EpisodeFact,
} from './metrics';

const NOW = Date.parse('2026-03-31T12:00:00Z');
const HOUR = 60 * 60 * 1000;
const ago = (days: number, hours = 0) => NOW - days * DAY_MS - hours * HOUR;

const deployment = (
  startedAt: number,
  endedAt: number | null,
  outcome: DeploymentFact['outcome'],
  resourceId = 'web',
): DeploymentFact => ({ resourceId, startedAt, endedAt, outcome });

const episode = (
  kind: EpisodeFact['kind'],
  startedAt: number,
  endedAt: number | null,
  resourceId = 'web',
): EpisodeFact => ({ resourceId, kind, startedAt, endedAt });

/** [deployments, failed, changeFailureRate, restores, meanTimeToRestoreMs, outOfSyncMs] per window. */
type Row = [number, number, number | null, number, number | null, number];

function table(deployments: DeploymentFact[], episodes: EpisodeFact[]) {
  return computeDeliveryMetrics({
    deployments,
    episodes,
    failureWindowMs: HOUR,
    now: NOW,
  }).windows.map(
    (w): Row => [
      w.deployments,
      w.failedDeployments,
      w.changeFailureRate,
      w.restores,
      w.meanTimeToRestoreMs,
      w.outOfSyncMs,
    ],
  );
}

describe('computeDeliveryMetrics', () => {
  it.each<[string, DeploymentFact[], EpisodeFact[], Row[]]>([
    [
      'a rollback: the deployment went Degraded, the rollback restored it after 2 hours',
      [
        deployment(ago(3), ago(3), 'degraded'),
        deployment(ago(3, -2), ago(3, -2), 'succeeded'),
      ],
      [episode('degraded', ago(3), ago(3, -2))],
      [
        [2, 1, 0.5, 1, 2 * HOUR, 0],
        [2, 1, 0.5, 1, 2 * HOUR, 0],
        [2, 1, 0.5, 1, 2 * HOUR, 0],
      ],
    ],
    [
      'a failed sync then a fix; the OutOfSync span straddles the 7-day edge',
      [
        deployment(ago(8), ago(8), 'failed'),
        deployment(ago(6), ago(6), 'succeeded'),
      ],
      [
        episode('degraded', ago(8), ago(6)),
        episode('outOfSync', ago(8), ago(6)),
      ],
      [
        [1, 0, 0, 1, 2 * DAY_MS, DAY_MS],
        [2, 1, 0.5, 1, 2 * DAY_MS, 2 * DAY_MS],
        [2, 1, 0.5, 1, 2 * DAY_MS, 2 * DAY_MS],
      ],
    ],
    [
      'a flap within the failure window fails the deployment once; a later flap counts against none',
      [deployment(ago(2), ago(2), 'succeeded')],
      [
        episode('degraded', ago(2, -0.25), ago(2, -0.5)),
        episode('degraded', ago(2, -0.75), ago(2, -1)),
        episode('degraded', ago(1), ago(1, -1)),
      ],
      [
        [1, 1, 1, 3, (0.25 * HOUR * 2 + HOUR) / 3, 0],
        [1, 1, 1, 3, (0.25 * HOUR * 2 + HOUR) / 3, 0],
        [1, 1, 1, 3, (0.25 * HOUR * 2 + HOUR) / 3, 0],
      ],
    ],
    [
      'a Degraded after the next deployment is blamed on that one, not the first',
      [
        deployment(ago(5), ago(5), 'succeeded'),
        deployment(ago(5, -0.5), ago(5, -0.5), 'succeeded'),
      ],
      [episode('degraded', ago(5, -0.75), ago(5, -1))],
      [
        [2, 1, 0.5, 1, 0.25 * HOUR, 0],
        [2, 1, 0.5, 1, 0.25 * HOUR, 0],
        [2, 1, 0.5, 1, 0.25 * HOUR, 0],
      ],
    ],
    [
      'a resource relinked mid-window: only the facts of this entity are read, other resources do not mix',
      // The store reads deployments by the entity linked when they started: before the
      // relink, web belonged here; its later deployments (elsewhere) are not in the input.
      [
        deployment(ago(20), ago(20), 'succeeded', 'web'),
        deployment(ago(4), ago(4), 'succeeded', 'api'),
      ],
      [
        episode('degraded', ago(20, -0.5), ago(20, -1), 'api'),
        episode('outOfSync', ago(1), null, 'api'),
      ],
      [
        [1, 0, 0, 0, null, DAY_MS],
        [2, 0, 0, 1, 0.5 * HOUR, DAY_MS],
        [2, 0, 0, 1, 0.5 * HOUR, DAY_MS],
      ],
    ],
    [
      'nothing deployed: rates are null, not zero',
      [],
      [],
      [
        [0, 0, null, 0, null, 0],
        [0, 0, null, 0, null, 0],
        [0, 0, null, 0, null, 0],
      ],
    ],
  ])('%s', (_name, deployments, episodes, expected) => {
    expect(table(deployments, episodes)).toEqual(expected);
  });

  it('counts deployments per UTC day over the last 30 days, oldest first', () => {
    const result = computeDeliveryMetrics({
      deployments: [
        deployment(ago(0), ago(0), 'succeeded'),
        deployment(ago(0, 1), ago(0, 1), 'failed'),
        deployment(ago(29), ago(29), 'succeeded'),
        deployment(ago(45), ago(45), 'succeeded'),
      ],
      episodes: [],
      failureWindowMs: HOUR,
      now: NOW,
    });
    expect(result.daily).toHaveLength(30);
    expect(result.daily[0]).toEqual({
      day: '2026-03-02',
      deployments: 1,
      failed: 0,
    });
    expect(result.daily[29]).toEqual({
      day: '2026-03-31',
      deployments: 2,
      failed: 1,
    });
    expect(result.windows.map(w => w.deploymentsPerDay)).toEqual([
      2 / 7,
      3 / 30,
      4 / 90,
    ]);
  });
});
