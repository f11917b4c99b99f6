import { ConfigReader } from '@backstage/config';
import { installProblems } from './installCheck';

const credential = (extra: object = {}) => ({
  type: 'static',
  options: { token: 'a-long-agent-token', subject: 'gitops-agent-prod-eu' },
  ...extra,
});

describe('installProblems', () => {
  it('names a missing gitops.agents mapping and the fix', () => {
    const problems = installProblems(new ConfigReader({}));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^gitops\.agents is not set/);
    expect(problems[0]).toContain('subject: gitops-agent-prod-eu, cluster:');
  });

  it('names a mapped agent token without accessRestrictions and the fix', () => {
    const problems = installProblems(
      new ConfigReader({
        backend: { auth: { externalAccess: [credential()] } },
        gitops: {
          agents: [{ subject: 'gitops-agent-prod-eu', cluster: 'prod-eu' }],
        },
      }),
    );
    expect(problems).toEqual([
      expect.stringContaining(
        'backend.auth.externalAccess[0] (subject gitops-agent-prod-eu) has no accessRestrictions',
      ),
    ]);
    expect(problems[0]).toContain('accessRestrictions: [{ plugin: gitops }]');
  });

  it('is silent for the documented install', () => {
    expect(
      installProblems(
        new ConfigReader({
          backend: {
            auth: {
              externalAccess: [
                credential({ accessRestrictions: [{ plugin: 'gitops' }] }),
                // another plugin's unrestricted token is not ours to judge
                {
                  type: 'static',
                  options: { token: 'other-token-value', subject: 'ci' },
                },
              ],
            },
          },
          gitops: {
            agents: [{ subject: 'gitops-agent-prod-eu', cluster: 'prod-eu' }],
          },
        }),
      ),
    ).toEqual([]);
  });
});
