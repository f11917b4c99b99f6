import {
  AGENTS,
  createTestDatabases,
  makePush,
  makeResource,
  startGitOpsBackend,
} from '../__testUtils__/harness';

jest.setTimeout(120_000);

/** Split-snapshot staging is bounded per snapshot and per cluster, and never piles up. */
describe('snapshot staging', () => {
  const databases = createTestDatabases();

  async function setup(
    databaseId: Parameters<typeof databases.init>[0],
    push: { maxSnapshotParts?: number; maxStagedBytes?: number },
  ) {
    const knex = await databases.init(databaseId);
    const backend = await startGitOpsBackend({
      knex,
      config: {
        gitops: {
          agents: Object.values(AGENTS),
          commands: { pollInterval: '100ms' },
          push,
        },
      },
    });
    const stagedRows = async () =>
      (await knex('gitops_snapshot_parts').count({ n: '*' }).first())!.n;
    return { knex, backend, stagedRows };
  }

  /** Part `part` of `parts` of a snapshot of `session`, carrying one record. */
  function part(
    session: string,
    seq: number,
    partNo: number,
    parts: number,
    name = `${session}-${partNo}`,
    tool: 'argocd' | 'fluxcd' = 'argocd',
  ) {
    const push = makePush({
      seq,
      part: partNo,
      parts,
      upserts: [
        tool === 'argocd'
          ? makeResource(name)
          : makeResource(name, { tool, kind: 'Kustomization' }),
      ],
    });
    push.agent = { ...push.agent, session, tool };
    return push;
  }

  const names = async (backend: { list(q?: string): Promise<any> }) =>
    (await backend.list('?sort=name')).items.map((i: any) => i.name);

  it.each(databases.eachSupportedId())(
    'a snapshot split into more parts than the limit is refused naming the limit, nothing staged, %p',
    async databaseId => {
      const { backend, stagedRows } = await setup(databaseId, {
        maxSnapshotParts: 3,
      });
      let res = await backend.push(AGENTS.a, part('s1', 1, 1, 4));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'parts: 4 exceeds the limit of 3 parts per snapshot (gitops.push.maxSnapshotParts)',
      );
      expect(Number(await stagedRows())).toBe(0);
      expect(await names(backend)).toEqual([]);

      // Three parts are within the limit and apply together.
      for (const p of [1, 2]) {
        res = await backend.push(AGENTS.a, part('s1', 2, p, 3));
        expect(res.body).toEqual({ applied: 0 });
      }
      res = await backend.push(AGENTS.a, part('s1', 2, 3, 3));
      expect(res.body).toEqual({ applied: 3 });
      expect(await names(backend)).toEqual(['s1-1', 's1-2', 's1-3']);
      expect(Number(await stagedRows())).toBe(0);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'staged bytes over the cluster limit answer 413 naming the limit; what was stored stays, %p',
    async databaseId => {
      const { backend, knex } = await setup(databaseId, {
        maxStagedBytes: 2000,
      });
      await backend.push(
        AGENTS.a,
        makePush({ seq: 1, upserts: [makeResource('kept')] }),
      );
      let res = await backend.push(AGENTS.a, part('s1', 2, 1, 3));
      expect(res.status).toBe(200);
      const big = part('s1', 2, 2, 3);
      big.upserts[0].message = 'm'.repeat(2000);
      res = await backend.push(AGENTS.a, big);
      expect(res.status).toBe(413);
      expect(res.body.error.message).toMatch(
        /^part 2 of 3: staging it would hold \d+ bytes for cluster cluster-a, over the limit of 2000 bytes \(gitops\.push\.maxStagedBytes\)$/,
      );
      expect(await names(backend)).toEqual(['kept']);
      // The refused part is not staged; the earlier one still is, and a small part 2 fits.
      const staged = await knex('gitops_snapshot_parts').select('part');
      expect(staged.map(r => Number(r.part))).toEqual([1]);
      res = await backend.push(AGENTS.a, part('s1', 2, 2, 3));
      expect(res.body).toEqual({ applied: 0 });
      // Another cluster has its own budget.
      res = await backend.push(AGENTS.b, part('s1', 1, 1, 2));
      expect(res.body).toEqual({ applied: 0 });
      res = await backend.push(AGENTS.a, part('s1', 2, 3, 3));
      expect(res.body).toEqual({ applied: 4 });
      expect(await names(backend)).toEqual(['s1-1', 's1-2', 's1-3']);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'an agent crash-looping mid-snapshot leaves only its latest staging; another tool keeps its own, %p',
    async databaseId => {
      // Room for about two parts: without dropping, the third restart would be refused.
      const { backend, knex } = await setup(databaseId, {
        maxStagedBytes: 1500,
      });
      let res = await backend.push(
        AGENTS.a,
        part('flux-1', 1, 1, 2, 'flux-app', 'fluxcd'),
      );
      expect(res.body).toEqual({ applied: 0 });
      for (const session of ['r1', 'r2', 'r3', 'r4', 'r5']) {
        res = await backend.push(AGENTS.a, part(session, 1, 1, 2));
        expect([session, res.status]).toEqual([session, 200]);
      }
      const staged = await knex('gitops_snapshot_parts')
        .orderBy('session')
        .select('session', 'tool');
      expect(staged).toEqual([
        { session: 'flux-1', tool: 'fluxcd' },
        { session: 'r5', tool: 'argocd' },
      ]);

      // A snapshot of a newer seq in the same session drops its older staging too.
      res = await backend.push(AGENTS.a, part('r5', 2, 1, 2, 'newer'));
      expect(res.body).toEqual({ applied: 0 });
      res = await backend.push(AGENTS.a, part('r5', 2, 2, 2, 'newest'));
      expect(res.body).toEqual({ applied: 2 });
      expect(await names(backend)).toEqual(['newer', 'newest']);
      res = await backend.push(
        AGENTS.a,
        part('flux-1', 1, 2, 2, 'flux-source', 'fluxcd'),
      );
      expect(res.body).toEqual({ applied: 2 });
      expect(await names(backend)).toEqual([
        'flux-app',
        'flux-source',
        'newer',
        'newest',
      ]);
      expect(await knex('gitops_snapshot_parts').select('session')).toEqual([]);
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'a snapshot applied part by part replaces the set: later parts win, absent records go, %p',
    async databaseId => {
      const { backend } = await setup(databaseId, {});
      await backend.push(
        AGENTS.a,
        makePush({
          seq: 1,
          upserts: [makeResource('gone'), makeResource('web')],
        }),
      );
      const parts = [
        [makeResource('web', { revision: 'old' }), makeResource('api')],
        [makeResource('worker')],
        [makeResource('web', { revision: 'new' })],
      ];
      let res;
      for (const [i, upserts] of parts.entries()) {
        res = await backend.push(
          AGENTS.a,
          makePush({ seq: 2, part: i + 1, parts: 3, upserts }),
        );
      }
      // api, web, worker written, gone deleted.
      expect(res!.body).toEqual({ applied: 4 });
      const list = await backend.list('?sort=name');
      expect(list.items.map(i => [i.name, i.revision])).toEqual([
        ['api', 'abc123'],
        ['web', 'new'],
        ['worker', 'abc123'],
      ]);
      await backend.stop();
    },
  );
});
