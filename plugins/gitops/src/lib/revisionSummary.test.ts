import { resourceView } from '../__testUtils__/fixtures';
import { revisionsByCluster } from './revisionSummary';

const SHA = '4f2c9e1d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d';
const OLD = '0123456789abcdef0123456789abcdef01234567';
const REPO = {
  url: 'https://github.com/acme/shop.git',
  path: 'deploy',
  chart: null,
};

describe('revisions by cluster', () => {
  it('counts one commit once however a tool writes it, and marks a source at two revisions as mixed', () => {
    const summary = revisionsByCluster([
      resourceView({ name: 'api', cluster: 'prod-us', source: REPO }),
      resourceView({
        name: 'worker',
        cluster: 'prod-us',
        source: { ...REPO, path: 'worker' },
        tool: 'fluxcd',
        revision: `main@sha1:${SHA.toUpperCase()}`,
      }),
      resourceView({ name: 'api', cluster: 'prod-eu', source: REPO }),
      resourceView({
        name: 'cron',
        cluster: 'prod-eu',
        source: REPO,
        revision: OLD,
      }),
      resourceView({
        name: 'chart',
        cluster: 'prod-eu',
        source: { url: 'https://charts.example.org', path: null, chart: 'x' },
        revision: '1.4.2',
      }),
    ]);

    expect(summary.map(c => [c.cluster, c.mixed])).toEqual([
      ['prod-eu', true],
      ['prod-us', false],
    ]);
    expect(summary[1].revisions).toEqual([
      {
        revision: SHA,
        source: { url: REPO.url, chart: null },
        resources: ['api', 'worker'],
      },
    ]);
    expect(
      summary[0].revisions.map(r => [r.revision, r.resources.join()]),
    ).toEqual([
      [SHA, 'api'],
      [OLD, 'cron'],
      ['1.4.2', 'chart'],
    ]);
  });

  it('counts a resource without a revision against one with one as mixed', () => {
    const [cluster] = revisionsByCluster([
      resourceView({ name: 'a', source: REPO }),
      resourceView({ name: 'b', source: REPO, revision: null }),
    ]);
    expect(cluster.mixed).toBe(true);
    expect(cluster.revisions.map(r => r.revision)).toEqual([SHA, null]);
  });
});
