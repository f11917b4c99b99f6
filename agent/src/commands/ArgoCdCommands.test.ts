import type { AgentCommand } from '@shoehorn/plugin-gitops-common';
import { ArgoCdApiServer } from '@shoehorn/gitops-test-kit';
import { ArgoCdCommands } from './ArgoCdCommands';

function command(
  type: AgentCommand['type'],
  namespace: string,
  name: string,
  hard = false,
): AgentCommand {
  return {
    id: `cmd-${Math.random()}`,
    type,
    hard,
    resource: { tool: 'argocd', kind: 'Application', namespace, name },
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
  };
}

jest.setTimeout(60_000);

describe('ArgoCdCommands against an ArgoCD API server', () => {
  let server: ArgoCdApiServer;
  let commands: ArgoCdCommands;

  beforeEach(async () => {
    server = new ArgoCdApiServer('argocd-token-1');
    await server.start();
    server.apps.set('argocd/web', { sync: 'OutOfSync', health: 'Healthy' });
    server.apps.set('team-a/api', { sync: 'Synced', health: 'Degraded' });
    commands = new ArgoCdCommands({
      serverUrl: `${server.url}/`,
      token: 'argocd-token-1',
      controlPlaneNamespace: 'argocd',
    });
  });

  afterEach(() => server.stop());

  it('syncs an app in the control-plane namespace without appNamespace', async () => {
    const result = await commands.execute(command('sync', 'argocd', 'web'));
    expect(result).toEqual({
      status: 'succeeded',
      message: 'ArgoCD accepted the sync of argocd/web (operation Running)',
    });
    expect(server.requests).toEqual([
      {
        method: 'POST',
        path: '/api/v1/applications/web/sync',
        query: {},
        body: {},
        authorization: 'Bearer argocd-token-1',
      },
    ]);
  });

  it('syncs an app in another namespace with appNamespace in the body', async () => {
    const result = await commands.execute(command('sync', 'team-a', 'api'));
    expect(result.status).toBe('succeeded');
    expect(server.requests[0]).toMatchObject({
      path: '/api/v1/applications/api/sync',
      body: { appNamespace: 'team-a' },
    });
  });

  it('refreshes normally or hard, with appNamespace in the query', async () => {
    expect(await commands.execute(command('refresh', 'argocd', 'web'))).toEqual(
      {
        status: 'succeeded',
        message:
          'ArgoCD ran a normal refresh of argocd/web (OutOfSync, Healthy)',
      },
    );
    await commands.execute(command('refresh', 'team-a', 'api', true));
    expect(
      server.requests.map(r => [r.method, r.path, r.query, r.body]),
    ).toEqual([
      [
        'GET',
        '/api/v1/applications/web',
        { refresh: 'normal', appNamespace: 'argocd' },
        undefined,
      ],
      [
        'GET',
        '/api/v1/applications/api',
        { refresh: 'hard', appNamespace: 'team-a' },
        undefined,
      ],
    ]);
  });

  it("reports ArgoCD's own error text", async () => {
    const result = await commands.execute(command('sync', 'argocd', 'missing'));
    expect(result).toEqual({
      status: 'failed',
      message:
        'ArgoCD API error (HTTP 403): permission denied: applications, get, default/missing, sub: shoehorn, iat: 2026-01-01T00:00:00Z',
    });
    const wrongToken = new ArgoCdCommands({
      serverUrl: server.url,
      token: 'stale',
      controlPlaneNamespace: 'argocd',
    });
    expect(
      await wrongToken.execute(command('refresh', 'argocd', 'web')),
    ).toEqual({
      status: 'failed',
      message: 'ArgoCD API error (HTTP 401): invalid session: token is invalid',
    });
  });

  it('runs no suspend or resume, which ArgoCD does not have, and says so', async () => {
    for (const type of ['suspend', 'resume'] as const) {
      expect(await commands.execute(command(type, 'argocd', 'web'))).toEqual({
        status: 'failed',
        message: `an ArgoCD Application has no suspend, so ${type} of argocd/web was not run`,
      });
    }
    expect(server.requests).toEqual([]);
  });

  it('reports an unreachable server and refuses non-Application kinds', async () => {
    await server.stop();
    const result = await commands.execute(command('sync', 'argocd', 'web'));
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(
      /^ArgoCD API http:\/\/127\.0\.0\.1:\d+ unreachable: /,
    );
    const flux = await commands.execute({
      ...command('sync', 'argocd', 'web'),
      resource: {
        tool: 'fluxcd',
        kind: 'Kustomization',
        namespace: 'a',
        name: 'b',
      },
    });
    expect(flux).toEqual({
      status: 'failed',
      message: 'ArgoCD commands apply to Applications, not Kustomization',
    });
    await server.start();
  });
});
