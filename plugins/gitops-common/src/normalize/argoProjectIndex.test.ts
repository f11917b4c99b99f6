import { MAX_SYNC_WINDOWS } from '../model';
import { appProject, syncedApplication } from './__fixtures__/argoApplications';
import { accepted } from './__fixtures__/records';
import { normalizeArgoApplication } from './argoApplication';
import { ArgoProjectIndex } from './argoProjectIndex';

const nightly = { kind: 'deny', schedule: '0 22 * * *', duration: '1h' };
const carried = {
  kind: 'deny',
  schedule: '0 22 * * *',
  duration: '1h',
  timeZone: 'UTC',
  manualSync: false,
};

/** The sync windows `checkout-api` (destination: in-cluster server, namespace checkout) carries. */
function windowsOf(project: unknown, app = syncedApplication()) {
  const index = ArgoProjectIndex.fromObjects([project]);
  return accepted(normalizeArgoApplication(app, index)).readiness?.syncWindows;
}

describe('ArgoProjectIndex: the sync windows an Application carries', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    [
      'an application glob that matches',
      { applications: ['checkout-*'] },
      true,
    ],
    ['an application glob that does not', { applications: ['web-*'] }, false],
    ['a namespace glob', { namespaces: ['check*'] }, true],
    ['another namespace', { namespaces: ['payments'] }, false],
    [
      'the cluster by server',
      { clusters: ['https://kubernetes.default.svc'] },
      true,
    ],
    ['another cluster', { clusters: ['https://prod.example.com'] }, false],
    [
      'any list that matches',
      { applications: ['web'], namespaces: ['checkout'] },
      true,
    ],
    [
      'andOperator: every list given must match',
      {
        applications: ['checkout-api'],
        namespaces: ['web'],
        andOperator: true,
      },
      false,
    ],
    [
      'andOperator: all match',
      {
        applications: ['checkout-api'],
        namespaces: ['checkout'],
        andOperator: true,
      },
      true,
    ],
    ['no application, namespace or cluster: nothing', {}, false],
    ['andOperator with no lists: nothing', { andOperator: true }, false],
  ])('%s', (_label, selectors, included) => {
    expect(windowsOf(appProject([{ ...nightly, ...selectors }]))).toEqual(
      included ? [carried] : [],
    );
  });

  it('matches a cluster by the destination name too', () => {
    const app = syncedApplication();
    app.spec.destination = { name: 'in-cluster', namespace: 'checkout' };
    expect(
      windowsOf(appProject([{ ...nightly, clusters: ['in-*'] }]), app),
    ).toEqual([carried]);
  });

  it('carries the zone and manualSync, and reads no zone as UTC', () => {
    expect(
      windowsOf(
        appProject([
          {
            kind: 'allow',
            schedule: '0 9 * * 1-5',
            duration: '8h',
            timeZone: 'Europe/Berlin',
            manualSync: true,
            applications: ['*'],
          },
          { ...nightly, timeZone: '', applications: ['*'] },
        ]),
      ),
    ).toEqual([
      {
        kind: 'allow',
        schedule: '0 9 * * 1-5',
        duration: '8h',
        timeZone: 'Europe/Berlin',
        manualSync: true,
      },
      carried,
    ]);
  });

  it('passes over windows of another kind or without a schedule or duration', () => {
    expect(
      windowsOf(
        appProject([
          { ...nightly, kind: 'block', applications: ['*'] },
          { ...nightly, schedule: '', applications: ['*'] },
          { kind: 'deny', schedule: '0 22 * * *', applications: ['*'] },
          'not a window',
          { ...nightly, applications: ['*'] },
        ]),
      ),
    ).toEqual([carried]);
  });

  it(`carries at most ${MAX_SYNC_WINDOWS} windows`, () => {
    const many = Array.from({ length: MAX_SYNC_WINDOWS + 5 }, () => ({
      ...nightly,
      applications: ['*'],
    }));
    expect(windowsOf(appProject(many))).toHaveLength(MAX_SYNC_WINDOWS);
  });

  it('reads an app without a project as in the default project', () => {
    const app = syncedApplication();
    delete app.spec.project;
    expect(
      windowsOf(
        appProject([{ ...nightly, applications: ['*'] }], 'default'),
        app,
      ),
    ).toEqual([carried]);
  });

  it('a project without windows gives none', () => {
    const project = appProject([]);
    delete project.spec.syncWindows;
    expect(windowsOf(project)).toEqual([]);
  });

  it('an unknown project, or no projects at all, leaves the windows out', () => {
    const other = ArgoProjectIndex.fromObjects([appProject([nightly], 'web')]);
    const app = syncedApplication();
    expect(accepted(normalizeArgoApplication(app, other)).readiness).toEqual({
      waitsOn: [],
      syncProblem: null,
    });
    expect(accepted(normalizeArgoApplication(app)).readiness).toEqual({
      waitsOn: [],
      syncProblem: null,
    });
  });

  it('indexes AppProjects only, and forgets a deleted one', () => {
    const index = new ArgoProjectIndex();
    expect(index.add(syncedApplication())).toBe(false);
    expect(
      index.add({ ...appProject([]), apiVersion: 'argoproj.io/v1beta1' }),
    ).toBe(false);
    expect(index.add(appProject([nightly]))).toBe(true);
    expect(index.size).toBe(1);
    index.delete('payments');
    expect(index.size).toBe(0);
  });
});
