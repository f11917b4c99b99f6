import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  AGENTS,
  agentHeader,
  component,
  createTestDatabases,
  GitOpsTestBackend,
  makePush,
  makeResource,
  startGitOpsBackend,
  userHeader,
} from '../__testUtils__/harness';
import { realPermissionsDenying } from '../__testUtils__/realPermissions';

jest.setTimeout(180_000);

const MALLORY = 'user:default/mallory';

async function mcpClient(backend: GitOpsTestBackend, user: string) {
  const { port } = backend.server.address() as AddressInfo;
  const client = new Client({ name: 'gitops-test-client', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(
      new URL(`http://127.0.0.1:${port}/api/mcp-actions/v1`),
      { requestInit: { headers: { Authorization: userHeader(user) } } },
    ),
  );
  return client;
}

describe('GitOps actions through the MCP server', () => {
  const databases = createTestDatabases();

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const permissions = realPermissionsDenying('gitops.command.create', [
      MALLORY,
    ]);
    const backend = await startGitOpsBackend({
      knex: await databases.init(databaseId),
      entities: [component('web'), component('api')],
      permissions: permissions.permissions,
      config: {
        ...permissions.config,
        backend: { actions: { pluginSources: ['gitops'] } },
      },
      features: [
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        mcpActionsPlugin,
        ...permissions.features,
      ] as any[],
    });
    const push = await backend.push(
      AGENTS.a,
      makePush({
        upserts: [
          makeResource('web', {
            entityAnnotation: 'web',
            syncStatus: 'OutOfSync',
            healthStatus: 'Degraded',
            revision: 'abc123',
            targetRevision: 'def456',
            drift: { detected: true, reason: 'live state differs from Git' },
            message: 'Deployment web: ImagePullBackOff',
            readiness: {
              waitsOn: [],
              syncProblem: {
                reason: 'operationFailed',
                message: 'one or more objects failed to apply',
              },
            },
          }),
          makeResource('api', { entityAnnotation: 'api' }),
        ],
      }),
    );
    expect(push.status).toBe(200);
    return backend;
  }

  it.each(databases.eachSupportedId())(
    'lists the tools, reads an entity, queues a Sync an agent receives, and is refused under DENY, %p',
    async databaseId => {
      const backend = await setup(databaseId);
      const alice = await mcpClient(backend, 'user:default/alice');

      const { tools } = await alice.listTools();
      const byName = Object.fromEntries(tools.map(t => [t.name, t]));
      expect(Object.keys(byName).sort()).toEqual([
        'gitops.get-entity-status',
        'gitops.list-resources',
        'gitops.request-refresh',
        'gitops.request-sync',
      ]);
      expect(byName['gitops.get-entity-status'].annotations).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
      });
      expect(byName['gitops.request-sync'].annotations).toMatchObject({
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: true,
      });
      expect(
        (byName['gitops.get-entity-status'].inputSchema.properties as any)
          .entityRef.description,
      ).toMatch(/component:default\/checkout-api/);

      const status = await alice.callTool({
        name: 'gitops.get-entity-status',
        arguments: { entityRef: 'web' },
      });
      expect(status.isError).toBeFalsy();
      const { entityRef, resources } = status.structuredContent as any;
      expect(entityRef).toBe('component:default/web');
      expect(resources).toEqual([
        expect.objectContaining({
          name: 'web',
          cluster: 'cluster-a',
          clusterState: 'connected',
          syncStatus: 'OutOfSync',
          healthStatus: 'Degraded',
          revision: 'abc123',
          targetRevision: 'def456',
          drift: { detected: true, reason: 'live state differs from Git' },
          message: 'Deployment web: ImagePullBackOff',
          rootCause: {
            reason: 'operationFailed',
            kind: 'Application',
            namespace: 'argocd',
            name: 'web',
            message: 'one or more objects failed to apply',
            summary:
              'Blocked by: Application argocd/web — one or more objects failed to apply',
          },
          linkedEntityRef: 'component:default/web',
          linkStatus: 'annotation',
        }),
      ]);

      const degraded = await alice.callTool({
        name: 'gitops.list-resources',
        arguments: { healthStatus: ['Degraded'] },
      });
      expect(
        (degraded.structuredContent as any).items.map((i: any) => i.name),
      ).toEqual(['web']);

      const sync = await alice.callTool({
        name: 'gitops.request-sync',
        arguments: { resourceId: resources[0].id },
      });
      expect(sync.isError).toBeFalsy();
      const { command } = sync.structuredContent as any;
      expect(command).toMatchObject({
        type: 'sync',
        status: 'queued',
        requestedBy: 'user:default/alice',
        alreadyPending: false,
      });
      const again = await alice.callTool({
        name: 'gitops.request-sync',
        arguments: { resourceId: resources[0].id },
      });
      expect((again.structuredContent as any).command).toMatchObject({
        id: command.id,
        alreadyPending: true,
      });

      const polled = await request(backend.server)
        .get('/api/gitops/agent/v1/commands?wait=5')
        .set('Authorization', agentHeader(AGENTS.a.subject));
      expect(polled.status).toBe(200);
      expect(polled.body.items).toEqual([
        expect.objectContaining({
          id: command.id,
          type: 'sync',
          resource: {
            tool: 'argocd',
            kind: 'Application',
            namespace: 'argocd',
            name: 'web',
          },
        }),
      ]);
      // The same ledger the portal shows.
      const ledger = await backend.get(
        `/v1/resources/${resources[0].id}/commands`,
      );
      expect(ledger.body.items.map((c: any) => [c.id, c.status])).toEqual([
        [command.id, 'delivered'],
      ]);

      const mallory = await mcpClient(backend, MALLORY);
      const refused = await mallory.callTool({
        name: 'gitops.request-refresh',
        arguments: { resourceId: resources[0].id },
      });
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toMatch(
        /NotAllowedError.*gitops\.command\.create on component:default\/web/,
      );
      const afterRefusal = await backend.get(
        `/v1/resources/${resources[0].id}/commands`,
      );
      expect(afterRefusal.body.items).toHaveLength(1);

      await alice.close();
      await mallory.close();
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'bad input is a tool error naming the field, %p',
    async databaseId => {
      const backend = await setup(databaseId);
      const alice = await mcpClient(backend, 'user:default/alice');
      const badRef = await alice.callTool({
        name: 'gitops.get-entity-status',
        arguments: { entityRef: 'component:' },
      });
      expect(badRef.isError).toBe(true);
      expect(JSON.stringify(badRef.content)).toMatch(/InputError.*entityRef/);
      const badFilter = await alice.callTool({
        name: 'gitops.list-resources',
        arguments: { healthStatus: ['Sad'] },
      });
      expect(badFilter.isError).toBe(true);
      expect(JSON.stringify(badFilter.content)).toMatch(/InputError/);
      const missing = await alice.callTool({
        name: 'gitops.request-sync',
        arguments: { resourceId: 'no-such-id' },
      });
      expect(missing.isError).toBe(true);
      expect(JSON.stringify(missing.content)).toMatch(/NotFoundError/);
      await alice.close();
      await backend.stop();
    },
  );
});
