import { createTestDatabases } from '../__testUtils__/harness';
import { NOW, openGitOpsDatabase } from '../__testUtils__/stores';
import type { NewCommand } from './CommandStore';

jest.setTimeout(120_000);

const SYNC: NewCommand = {
  tenant: 'default',
  cluster: 'cluster-a',
  resourceId: 'resource-1',
  resource: {
    tool: 'argocd',
    kind: 'Application',
    namespace: 'argocd',
    name: 'web',
  },
  type: 'sync',
  hard: false,
  requestedBy: 'user:default/alice',
  requestedAt: NOW,
  expiresAt: NOW + 60_000,
};

describe('DatabaseCommandStore', () => {
  const databases = createTestDatabases();

  // The command store is used first here: it must not depend on another store's setup.
  it.each(databases.eachSupportedId())(
    'queues once, leases to one poll, records the result once, %p',
    async databaseId => {
      const { db } = await openGitOpsDatabase(databases, databaseId);
      const first = await db.commands.enqueue(SYNC, NOW);
      expect(first.created).toBe(true);
      const again = await db.commands.enqueue(SYNC, NOW + 1);
      expect(again).toEqual({ command: first.command, created: false });

      const claim = (now: number) =>
        db.commands.claim({
          tenant: 'default',
          cluster: 'cluster-a',
          tools: ['argocd'],
          now,
          leaseMs: 10_000,
          limit: 5,
        });
      const [delivered] = await claim(NOW + 2);
      expect(delivered).toMatchObject({
        id: first.command.id,
        status: 'delivered',
        deliveries: 1,
        leaseUntil: NOW + 10_002,
      });
      expect(await claim(NOW + 3)).toEqual([]);
      // After the lease ends, the command is handed out again.
      expect((await claim(NOW + 10_002))[0].deliveries).toBe(2);

      const done = await db.commands.finish(
        first.command.id,
        { status: 'succeeded', message: 'synced' },
        NOW + 11_000,
      );
      expect(done?.changed).toBe(true);
      const late = await db.commands.finish(
        first.command.id,
        { status: 'failed', message: 'too late' },
        NOW + 12_000,
      );
      expect(late).toMatchObject({
        changed: false,
        command: { status: 'succeeded', message: 'synced' },
      });
      expect(
        await db.commands.finish(
          'nope',
          { status: 'failed', message: 'no such command' },
          NOW,
        ),
      ).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'expires what outlived its time to live and prunes finished commands, %p',
    async databaseId => {
      const { db } = await openGitOpsDatabase(databases, databaseId);
      const { command } = await db.commands.enqueue(SYNC, NOW);
      expect(await db.commands.expireDue(NOW + 59_999)).toEqual([]);
      const [expired] = await db.commands.expireDue(NOW + 60_000);
      expect(expired).toMatchObject({ id: command.id, status: 'expired' });
      // Expired and never delivered: a late result does not revive it.
      expect(
        (
          await db.commands.finish(
            command.id,
            { status: 'succeeded', message: 'ran' },
            NOW + 61_000,
          )
        )?.changed,
      ).toBe(false);

      const { command: queued } = await db.commands.enqueue(
        { ...SYNC, requestedAt: NOW + 70_000, expiresAt: NOW + 200_000 },
        NOW + 70_000,
      );
      await db.commands.prune(NOW + 100_000);
      expect(await db.commands.get(command.id)).toBeUndefined();
      // Still queued: kept whatever its age.
      expect((await db.commands.get(queued.id))?.status).toBe('queued');
      expect(
        (await db.commands.listForResource('default', 'resource-1', 10)).map(
          c => c.id,
        ),
      ).toEqual([queued.id]);
    },
  );
});
