import { mockServices } from '@backstage/backend-test-utils';
import type { GitOpsTool } from '@shoehorn/plugin-gitops-common';
import { createTestDatabases } from '../__testUtils__/harness';
import { NOW, openGitOpsDatabase } from '../__testUtils__/stores';
import { ChangePublisher } from '../service/ChangePublisher';
import { CommandNotifier } from './CommandNotifier';
import { CommandQueue } from './CommandQueue';
import type { CommandStore, NewCommand } from './CommandStore';

jest.setTimeout(120_000);

const AGENT = { subject: 'agent-a', tenant: 'default', cluster: 'cluster-a' };

const command = (tool: GitOpsTool, resourceId: string): NewCommand => ({
  tenant: 'default',
  cluster: 'cluster-a',
  resourceId,
  resource: {
    tool,
    kind: tool === 'argocd' ? 'Application' : 'Kustomization',
    namespace: 'ns',
    name: resourceId,
  },
  type: 'sync',
  hard: false,
  requestedBy: 'user:default/alice',
  requestedAt: NOW,
  expiresAt: NOW + 600_000,
});

describe('CommandQueue long-polls', () => {
  const databases = createTestDatabases();

  async function setUp(databaseId: Parameters<typeof openGitOpsDatabase>[1]) {
    const { db } = await openGitOpsDatabase(databases, databaseId);
    const store = db.commands;
    const claims: GitOpsTool[][] = [];
    // The real store, counting the claim queries the polls run.
    const counted: CommandStore = Object.assign(Object.create(store), {
      claim: (options: Parameters<CommandStore['claim']>[0]) => {
        claims.push([...options.tools]);
        return store.claim(options);
      },
    });
    const clock = { time: NOW, now: () => clock.time };
    const notifier = new CommandNotifier();
    const queue = new CommandQueue({
      store: counted,
      notifier,
      publisher: new ChangePublisher({
        signals: undefined,
        logger: mockServices.logger.mock(),
        intervalMs: 0,
      }),
      clock,
      ttlMs: 600_000,
      leaseMs: 10_000,
      linkPolicy: { allowOnNameMatch: false },
    });
    const poll = (tools: GitOpsTool[], waitMs: number) =>
      queue.poll(AGENT, tools, waitMs, new AbortController().signal);
    const queue1 = async (tool: GitOpsTool, resourceId: string) => {
      await store.enqueue(command(tool, resourceId), clock.now());
      await notifier.notify('default', 'cluster-a');
    };
    return { queue, poll, queue1, claims, clock, store };
  }

  it.each(databases.eachSupportedId())(
    'an idle poll reads nothing once the safety poll has answered, and a queued command still reaches it, %p',
    async databaseId => {
      const { queue, poll, queue1, claims } = await setUp(databaseId);
      // Before the replica knows anything, a poll claims.
      expect(await poll(['argocd'], 0)).toEqual([]);
      expect(claims).toHaveLength(1);

      await queue.wakeWaitingPolls();
      expect(await poll(['argocd'], 50)).toEqual([]);
      expect(claims).toHaveLength(1);

      const waiting = poll(['argocd'], 10_000);
      await queue1('argocd', 'web');
      expect((await waiting).map(c => c.resourceId)).toEqual(['web']);
      // Emptied: the next idle poll reads nothing again.
      const before = claims.length;
      expect(await poll(['argocd'], 50)).toEqual([]);
      expect(await poll(['argocd'], 50)).toEqual([]);
      expect(claims.length - before).toBeLessThanOrEqual(1);
    },
  );

  it.each(databases.eachSupportedId())(
    "one tool's empty claim does not hide the other tool's command, %p",
    async databaseId => {
      const { queue, poll, queue1 } = await setUp(databaseId);
      await queue.wakeWaitingPolls();
      await queue1('fluxcd', 'apps');
      expect(await poll(['argocd'], 0)).toEqual([]);
      expect((await poll(['fluxcd'], 0)).map(c => c.resourceId)).toEqual([
        'apps',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'a command whose lease ran out is handed out again at the next poll, and then once only, %p',
    async databaseId => {
      const { queue, poll, queue1, clock, claims } = await setUp(databaseId);
      await queue.wakeWaitingPolls();
      await queue1('argocd', 'web');
      expect(await poll(['argocd'], 0)).toHaveLength(1);
      clock.time += 5_000;
      expect(await poll(['argocd'], 0)).toEqual([]);
      // The agent never reports; its lease ends without any wake-up.
      clock.time += 5_001;
      expect(await poll(['argocd'], 0)).toMatchObject([
        { resourceId: 'web', deliveries: 2 },
      ]);
      const before = claims.length;
      expect(await poll(['argocd'], 0)).toEqual([]);
      expect(claims.length).toBe(before);
    },
  );
});
