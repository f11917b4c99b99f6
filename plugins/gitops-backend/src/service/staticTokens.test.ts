import request from 'supertest';
import {
  createTestDatabases,
  makePush,
  makeResource,
  startGitOpsBackend,
} from '../__testUtils__/harness';

jest.setTimeout(120_000);

describe('agents with real static external-access tokens', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'maps the token subject to its cluster; unknown or unmapped tokens are refused, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({
        knex,
        realAuth: true,
        config: {
          backend: {
            auth: {
              externalAccess: [
                {
                  type: 'static',
                  options: {
                    token: 'agent-a-token-0001',
                    subject: 'gitops-agent-a',
                  },
                  accessRestrictions: [{ plugin: 'gitops' }],
                },
                {
                  type: 'static',
                  options: {
                    token: 'unmapped-token-0001',
                    subject: 'ci-robot',
                  },
                  accessRestrictions: [{ plugin: 'gitops' }],
                },
              ],
            },
          },
        },
      });
      const push = (token?: string) => {
        const req = request(backend.server).post('/api/gitops/agent/v1/push');
        if (token) {
          req.set('Authorization', `Bearer ${token}`);
        }
        return req.send(makePush({ upserts: [makeResource('web')] }));
      };

      expect((await push()).status).toBe(401);
      expect((await push('not-a-valid-token')).status).toBe(401);
      const refused = await push('unmapped-token-0001');
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('ci-robot');
      expect(
        Number((await knex('gitops_resources').count({ n: '*' }).first())!.n),
      ).toBe(0);

      const accepted = await push('agent-a-token-0001');
      expect(accepted.status).toBe(200);
      expect(accepted.body).toEqual({ applied: 1 });
      const stored = await knex('gitops_resources').select(
        'tenant',
        'cluster',
        'name',
      );
      expect(stored).toEqual([
        { tenant: 'default', cluster: 'cluster-a', name: 'web' },
      ]);
      await backend.stop();
    },
  );
});
