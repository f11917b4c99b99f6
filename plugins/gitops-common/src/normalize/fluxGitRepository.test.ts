import { MAIN_SHA_NEW, gitRepository } from './__fixtures__/fluxObjects';
import { accepted } from './__fixtures__/records';
import { normalizeFluxGitRepository } from './fluxGitRepository';

describe('normalizeFluxGitRepository', () => {
  it('maps a ready GitRepository field by field', () => {
    expect(accepted(normalizeFluxGitRepository(gitRepository()))).toEqual({
      tool: 'fluxcd',
      kind: 'GitRepository',
      namespace: 'flux-system',
      name: 'flux-system',
      uid: 'b9f4c6c2-1e0d-4f7a-9c1b-3d2e5f6a7b8c',
      syncStatus: 'Synced',
      healthStatus: 'Healthy',
      source: {
        url: 'ssh://git@github.com/acme/fleet-infra',
        path: null,
        chart: null,
      },
      revision: MAIN_SHA_NEW,
      targetRevision: 'main',
      autoSync: true,
      suspended: false,
      lastSyncedAt: '2024-05-01T10:00:02Z',
      drift: { detected: false, reason: null },
      entityAnnotation: null,
      message: `stored artifact for revision '${MAIN_SHA_NEW}'`,
      readiness: { waitsOn: [], syncProblem: null },
    });
  });

  it.each([
    [
      'commit over everything',
      {
        commit: 'abc123',
        name: 'refs/heads/x',
        semver: '1.x',
        tag: 'v1',
        branch: 'main',
      },
      'abc123',
    ],
    [
      'name over semver, tag and branch',
      { name: 'refs/pull/420/head', semver: '1.x', tag: 'v1', branch: 'main' },
      'refs/pull/420/head',
    ],
    [
      'semver over tag and branch',
      { semver: '>=1.0.0 <2.0.0', tag: 'v1', branch: 'main' },
      '>=1.0.0 <2.0.0',
    ],
    ['tag over branch', { tag: 'v1.4.2', branch: 'main' }, 'v1.4.2'],
    ['branch alone', { branch: 'release/2024-05' }, 'release/2024-05'],
    [
      'commit with its branch',
      { branch: 'main', commit: '363a6a8fe6a7f13e05d34c163b0ef02a777da20a' },
      '363a6a8fe6a7f13e05d34c163b0ef02a777da20a',
    ],
    ['empty fields skipped', { commit: '', tag: '', branch: 'main' }, 'main'],
    ['an empty ref: master', {}, 'master'],
    ['no ref: master', undefined, 'master'],
  ])('target revision: %s', (_label, ref, expected) => {
    const repo = gitRepository();
    if (ref === undefined) {
      delete repo.spec.ref;
    } else {
      repo.spec.ref = ref;
    }
    expect(accepted(normalizeFluxGitRepository(repo)).targetRevision).toBe(
      expected,
    );
  });

  it('is OutOfSync and Degraded when Ready=False, without drift', () => {
    const repo = gitRepository();
    repo.status.conditions[0] = {
      type: 'Ready',
      status: 'False',
      reason: 'GitOperationFailed',
      message:
        "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/acme/fleet-infra': authentication required",
      lastTransitionTime: '2024-05-02T09:00:00Z',
    };
    expect(accepted(normalizeFluxGitRepository(repo))).toMatchObject({
      syncStatus: 'OutOfSync',
      healthStatus: 'Degraded',
      revision: MAIN_SHA_NEW,
      drift: { detected: false, reason: null },
      message: repo.status.conditions[0].message,
    });
  });

  it('is Unknown and Progressing while Ready=Unknown', () => {
    const repo = gitRepository();
    repo.status.conditions[0].status = 'Unknown';
    repo.status.conditions[0].message =
      'building artifact: new upstream revision';
    expect(accepted(normalizeFluxGitRepository(repo))).toMatchObject({
      syncStatus: 'Unknown',
      healthStatus: 'Progressing',
    });
  });

  it('is Suspended when suspended; sync status still follows Ready', () => {
    const repo = gitRepository();
    repo.spec.suspend = true;
    expect(accepted(normalizeFluxGitRepository(repo))).toMatchObject({
      syncStatus: 'Synced',
      healthStatus: 'Suspended',
      suspended: true,
      autoSync: false,
    });
  });

  it('maps a new repository with no status', () => {
    const repo = gitRepository();
    delete repo.status;
    expect(accepted(normalizeFluxGitRepository(repo))).toMatchObject({
      syncStatus: 'Unknown',
      healthStatus: 'Unknown',
      revision: null,
      targetRevision: 'main',
      lastSyncedAt: null,
      message: null,
    });
  });

  it('turns an unparsable artifact time into null rather than rejecting', () => {
    const repo = gitRepository();
    repo.status.artifact.lastUpdateTime = '2024-05-01 10:00:02';
    expect(accepted(normalizeFluxGitRepository(repo)).lastSyncedAt).toBeNull();
  });
});
