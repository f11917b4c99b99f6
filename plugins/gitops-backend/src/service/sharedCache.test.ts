import { cacheServiceFactory } from '@backstage/backend-defaults/cache';
import { v4 as uuid } from 'uuid';
import {
  AGENTS,
  createTestDatabases,
  makePush,
  makeResource,
  ManualClock,
  startGitOpsBackend,
} from '../__testUtils__/harness';

jest.setTimeout(120_000);

const REDIS_ENV = 'GITOPS_TEST_REDIS_URL';

describe('stats on a shared Redis cache', () => {
  const databases = createTestDatabases();
  if (!process.env[REDIS_ENV]) {
    throw new Error(
      `${REDIS_ENV} is not set: this suite needs Redis. Run it through scripts/test.sh, ` +
        `or start redis-server and export ${REDIS_ENV}=redis://127.0.0.1:6379`,
    );
  }

  it.each(databases.eachSupportedId())(
    'a push through one replica invalidates the stats the other replica serves, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const clock = new ManualClock();
      // A fresh key namespace per run, so runs never see each other's entries.
      const cacheConfig = {
        backend: {
          cache: {
            store: 'redis',
            connection: process.env[REDIS_ENV],
            redis: { client: { namespace: `gitops-test-${uuid()}` } },
          },
        },
      };
      const replica1 = await startGitOpsBackend({
        knex,
        clock,
        config: cacheConfig,
        features: [cacheServiceFactory],
      });
      const replica2 = await startGitOpsBackend({
        knex,
        clock,
        config: cacheConfig,
        features: [cacheServiceFactory],
      });
      await replica1.push(
        AGENTS.a,
        makePush({
          upserts: [makeResource('a'), makeResource('b'), makeResource('c')],
        }),
      );
      expect((await replica2.get('/v1/stats')).body.total).toBe(3);

      // Cached in Redis: both replicas answer from it, even when the table changes underneath.
      await knex('gitops_resources').where({ name: 'c' }).delete();
      expect((await replica2.get('/v1/stats')).body.total).toBe(3);
      expect((await replica1.get('/v1/stats')).body.total).toBe(3);

      await replica1.push(
        AGENTS.a,
        makePush({ seq: 2, type: 'delta', upserts: [makeResource('d')] }),
      );
      expect((await replica2.get('/v1/stats')).body.total).toBe(3);
      await replica1.stop();
      await replica2.stop();
    },
  );
});
