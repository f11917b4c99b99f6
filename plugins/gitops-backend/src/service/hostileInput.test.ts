import request from 'supertest';
import {
  AGENTS,
  agentHeader,
  createTestDatabases,
  makePush,
  makeResource,
  startGitOpsBackend,
  userHeader,
} from '../__testUtils__/harness';

jest.setTimeout(180_000);

const cursorOf = (payload: unknown) =>
  encodeURIComponent(
    Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url'),
  );

describe('input the backend must survive', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'refuses a seq beyond an exact integer with a 400 naming seq, keeping what is stored, %p',
    async databaseId => {
      const backend = await startGitOpsBackend({
        knex: await databases.init(databaseId),
      });
      const first = await backend.push(
        AGENTS.a,
        makePush({ upserts: [makeResource('web')] }),
      );
      expect(first.status).toBe(200);
      const res = await backend.push(
        AGENTS.a,
        makePush({ seq: 2.0832226701114865e24, upserts: [] }),
      );
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('seq');
      const list = await request(backend.server)
        .get('/api/gitops/v1/resources')
        .set('Authorization', userHeader());
      expect(list.body.items.map((r: { name: string }) => r.name)).toEqual([
        'web',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'stores NUL and lone surrogates as U+FFFD and credentials in source URLs never, %p',
    async databaseId => {
      const backend = await startGitOpsBackend({
        knex: await databases.init(databaseId),
      });
      const res = await backend.push(
        AGENTS.a,
        makePush({
          upserts: [
            makeResource('web', {
              message: 'failed:\u0000 bad byte',
              entityAnnotation: 'component:web\u0000',
              revision: 'abc\uD800',
              drift: { detected: true, reason: 'lone \uDC00 low' },
              source: {
                url: 'https://deploy:s3cr3t-token@git.example.com/org/web.git',
                path: 'deploy',
                chart: null,
              },
            }),
          ],
          deletes: [
            {
              tool: 'argocd',
              kind: 'Application',
              namespace: 'argocd',
              name: 'gone\u0000',
            },
          ],
        }),
      );
      expect(res.status).toBe(200);
      const [web] = (await backend.list()).items;
      expect(web.message).toBe('failed:\uFFFD bad byte');
      expect(web.entityAnnotation).toBe('component:web\uFFFD');
      expect(web.revision).toBe('abc\uFFFD');
      expect(web.drift.reason).toBe('lone \uFFFD low');
      expect(web.source.url).toBe('https://git.example.com/org/web.git');
      expect((await backend.list('?q=s3cr3t')).totalCount).toBe(0);
      expect((await backend.list('?q=%00')).totalCount).toBe(0);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'shows a refused push on /v1/clusters until a push is applied, %p',
    async databaseId => {
      const backend = await startGitOpsBackend({
        knex: await databases.init(databaseId),
      });
      expect(
        (
          await backend.push(
            AGENTS.a,
            makePush({ upserts: [makeResource('web')] }),
          )
        ).status,
      ).toBe(200);
      const clusterA = async () =>
        (await backend.get('/v1/clusters')).body.items.find(
          (c: { name: string }) => c.name === 'cluster-a',
        );
      expect((await clusterA()).lastRefusedPush).toBeNull();

      backend.clock.advance(1000);
      const bad = makePush({
        seq: 2,
        upserts: [{ ...makeResource('web'), syncStatus: 'Bogus' as any }],
      });
      expect((await backend.push(AGENTS.a, bad)).status).toBe(400);
      expect((await clusterA()).lastRefusedPush).toEqual({
        status: 400,
        message: expect.stringContaining('syncStatus'),
        at: new Date(backend.clock.now()).toISOString(),
      });
      // Another cluster's view is untouched.
      expect(
        (await backend.get('/v1/clusters')).body.items.filter(
          (c: { lastRefusedPush: unknown }) => c.lastRefusedPush,
        ),
      ).toHaveLength(1);

      expect(
        (
          await backend.push(
            AGENTS.a,
            makePush({ seq: 3, upserts: [makeResource('web')] }),
          )
        ).status,
      ).toBe(200);
      expect((await clusterA()).lastRefusedPush).toBeNull();
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'answers 400 naming the parameter for a cursor it did not issue, too many or too long filter values and a NUL in the path, %p',
    async databaseId => {
      const backend = await startGitOpsBackend({
        knex: await databases.init(databaseId),
      });
      await backend.push(
        AGENTS.a,
        makePush({
          upserts: ['a', 'b', 'c'].map(n => makeResource(n)),
        }),
      );
      const issued = (await backend.list('?limit=1&sort=-lastSyncedAt'))
        .nextCursor!;
      expect(
        (
          await backend.get(
            `/v1/resources?limit=1&sort=-lastSyncedAt&cursor=${encodeURIComponent(
              issued,
            )}`,
          )
        ).status,
      ).toBe(200);

      const tampered: Array<[string, unknown]> = [
        ['-lastSyncedAt', { s: '-lastSyncedAt', v: 1.5, id: 'x' }],
        ['-lastSyncedAt', { s: '-lastSyncedAt', v: 1e300, id: 'x' }],
        ['-lastSyncedAt', { s: '-lastSyncedAt', v: '12', id: 'x' }],
        ['name', { s: 'name', v: 'a\u0000', id: 'x' }],
        ['name', { s: 'name', v: 'a', id: 'x\uD800' }],
        ['name', { s: 'name', v: 'a', id: 7 }],
        ['name', null],
        ['name', ['name', 'a', 'x']],
        ['name', 'just a string'],
      ];
      for (const [sort, payload] of tampered) {
        const res = await backend.get(
          `/v1/resources?sort=${sort}&cursor=${cursorOf(payload)}`,
        );
        expect({ payload, status: res.status }).toEqual({
          payload,
          status: 400,
        });
        expect(res.body.error.message).toContain('cursor');
      }

      const manyClusters = Array.from(
        { length: 101 },
        (_, i) => `cluster=c${i}`,
      );
      const tooMany = await backend.get(
        `/v1/resources?${manyClusters.join('&')}`,
      );
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.message).toContain('cluster');
      const longName = await backend.get(
        `/v1/facets?namespace=${'n'.repeat(254)}`,
      );
      expect(longName.status).toBe(400);
      expect(longName.body.error.message).toContain('namespace');

      const nul = await backend.get('/v1/resources/abc%00def');
      expect(nul.status).toBe(400);
      expect(nul.body.error.message).toContain('NUL');
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'gates agent routes whatever the case of the path, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startGitOpsBackend({ knex });
      const body = makePush({ upserts: [makeResource('web')] });
      for (const path of [
        '/api/gitops/Agent/v1/push',
        '/api/gitops/AGENT/V1/PUSH',
      ]) {
        const asUser = await request(backend.server)
          .post(path)
          .set('Authorization', userHeader())
          .send(body);
        expect({ path, status: asUser.status }).toEqual({ path, status: 403 });
        const anonymous = await request(backend.server).post(path).send(body);
        expect({ path, status: anonymous.status }).toEqual({
          path,
          status: 401,
        });
      }
      expect(
        Number((await knex('gitops_resources').count({ n: '*' }).first())!.n),
      ).toBe(0);

      const asAgent = await request(backend.server)
        .post('/api/gitops/Agent/v1/push')
        .set('Authorization', agentHeader(AGENTS.b.subject))
        .send(body);
      expect(asAgent.status).toBe(200);
      expect(await knex('gitops_resources').select('cluster')).toEqual([
        { cluster: 'cluster-b' },
      ]);
      await backend.stop();
    },
  );
});
