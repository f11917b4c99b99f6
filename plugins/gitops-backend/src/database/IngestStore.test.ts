import {
  createTestDatabases,
  makePush,
  makeResource,
} from '../__testUtils__/harness';
import { applyPush, NOW, openGitOpsDatabase } from '../__testUtils__/stores';

jest.setTimeout(120_000);

const ALL = {
  filter: {},
  sort: { field: 'name' as const, descending: false },
  limit: 100,
};

describe('IngestStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'a snapshot replaces its tool on the cluster, a delta changes only what it names, %p',
    async databaseId => {
      const { db } = await openGitOpsDatabase(databases, databaseId);
      const names = async () =>
        (await db.resources.list('default', ALL)).items.map(r => r.name);

      await applyPush(db, {
        seq: 1,
        upserts: ['a', 'b', 'c'].map(n => makeResource(n)),
      });
      expect(await names()).toEqual(['a', 'b', 'c']);

      const outcome = await applyPush(db, {
        seq: 2,
        upserts: [makeResource('b'), makeResource('d')],
      });
      // b was already stored as sent: of the four named, three changed (d new, a and c gone).
      expect(outcome).toEqual({
        kind: 'applied',
        applied: 4,
        changed: 3,
        entityRefs: [],
      });
      expect(await names()).toEqual(['b', 'd']);

      await applyPush(db, {
        seq: 3,
        type: 'delta',
        upserts: [
          makeResource('e'),
          makeResource('b', { syncStatus: 'OutOfSync' }),
        ],
        deletes: [
          {
            tool: 'argocd',
            kind: 'Application',
            namespace: 'argocd',
            name: 'd',
          },
        ],
      });
      const items = (await db.resources.list('default', ALL)).items;
      expect(items.map(r => [r.name, r.syncStatus])).toEqual([
        ['b', 'OutOfSync'],
        ['e', 'Synced'],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'a seq at or below the session’s last is stale and changes nothing, %p',
    async databaseId => {
      const { db } = await openGitOpsDatabase(databases, databaseId);
      await applyPush(db, { seq: 5, upserts: [makeResource('kept')] });
      expect(
        await applyPush(db, { seq: 5, upserts: [makeResource('replaced')] }),
      ).toEqual({ kind: 'stale' });
      expect(
        await applyPush(db, { seq: 4, upserts: [makeResource('replaced')] }),
      ).toEqual({ kind: 'stale' });
      const { items } = await db.resources.list('default', ALL);
      expect(items.map(r => r.name)).toEqual(['kept']);

      // A new session starts its own sequence.
      const fresh = await applyPush(db, {
        seq: 1,
        agent: { ...makePush().agent, session: 'session-2' },
        upserts: [makeResource('replaced')],
      });
      expect(fresh.kind).toBe('applied');
    },
  );

  it.each(databases.eachSupportedId())(
    'parts are staged until the set is complete, then applied as one snapshot, %p',
    async databaseId => {
      const { db } = await openGitOpsDatabase(databases, databaseId);
      const part = (n: number, name: string) =>
        applyPush(db, {
          seq: 7,
          parts: 3,
          part: n,
          upserts: [makeResource(name)],
        });
      expect(await part(1, 'one')).toEqual({
        kind: 'pending',
        received: 1,
        parts: 3,
      });
      // A repeated part replaces itself and does not count twice.
      expect(await part(1, 'one')).toEqual({
        kind: 'pending',
        received: 1,
        parts: 3,
      });
      expect(await part(3, 'three')).toMatchObject({ received: 2 });
      expect((await db.resources.list('default', ALL)).totalCount).toBe(0);
      expect(await part(2, 'two')).toEqual({
        kind: 'applied',
        applied: 3,
        changed: 3,
        entityRefs: [],
      });
      const { items } = await db.resources.list('default', ALL);
      expect(items.map(r => r.name)).toEqual(['one', 'three', 'two']);
    },
  );

  it.each(databases.eachSupportedId())(
    'history gets a row only when sync, health or revision changes, %p',
    async databaseId => {
      const { db } = await openGitOpsDatabase(databases, databaseId);
      await applyPush(db, { seq: 1, upserts: [makeResource('web')] });
      await applyPush(
        db,
        {
          seq: 2,
          upserts: [makeResource('web', { message: 'only the message' })],
        },
        { now: NOW + 1000 },
      );
      await applyPush(
        db,
        {
          seq: 3,
          upserts: [makeResource('web', { healthStatus: 'Degraded' })],
        },
        { now: NOW + 2000 },
      );
      const [web] = (await db.resources.list('default', ALL)).items;
      expect(web.observedAt).toBe(NOW + 2000);
      const history = await db.resources.history('default', web.id, 10);
      expect(history.map(h => [h.at, h.healthStatus])).toEqual([
        [new Date(NOW + 2000).toISOString(), 'Degraded'],
        [new Date(NOW).toISOString(), 'Healthy'],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'prune forgets idle sessions and abandoned parts, %p',
    async databaseId => {
      const { db, knex } = await openGitOpsDatabase(databases, databaseId);
      await applyPush(db, { seq: 9, upserts: [makeResource('a')] });
      await applyPush(
        db,
        { seq: 10, parts: 2, part: 1, upserts: [makeResource('b')] },
        { now: NOW + 10 },
      );
      await db.ingest.prune({
        stagedPartsBefore: NOW + 11,
        sessionsBefore: NOW + 11,
      });
      const [{ n }] = await knex('gitops_snapshot_parts').count({ n: '*' });
      expect(Number(n)).toBe(0);
      // The session is gone, so a restarted sequence is accepted again.
      expect(
        (await applyPush(db, { seq: 1, upserts: [makeResource('c')] })).kind,
      ).toBe('applied');
    },
  );
});
