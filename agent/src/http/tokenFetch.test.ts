import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BackendClient } from '../backend/BackendClient';
import { AgentError } from '../errors/AgentError';
import { ArgoCdCommands } from '../commands/ArgoCdCommands';

/** A loopback server that records the Authorization header of every request it gets. */
async function recordingServer(
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => void,
) {
  const seen: Array<{ path?: string; method?: string; auth?: string }> = [];
  const server = http.createServer((req, res) => {
    seen.push({
      path: req.url,
      method: req.method,
      auth: req.headers.authorization,
    });
    req.resume();
    req.on('end', () => handle(req, res));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => server.close() };
}

describe('requests carrying a bearer token', () => {
  let elsewhere: Awaited<ReturnType<typeof recordingServer>>;
  let portal: Awaited<ReturnType<typeof recordingServer>>;

  beforeAll(async () => {
    elsewhere = await recordingServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"items":[]}');
    });
    portal = await recordingServer((req, res) => {
      if (req.url?.startsWith('/api/gitops/agent/v1/commands')) {
        // a misconfigured proxy sending the agent somewhere else
        res.writeHead(307, { location: `${elsewhere.url}${req.url}` });
        res.end();
      } else if (req.url === '/api/gitops/agent/v1/push') {
        res.writeHead(308, { location: '/moved/agent/v1/push' });
        res.end();
      } else {
        res.setHeader('content-type', 'application/json');
        res.end('{"accepted":true,"seq":1}');
      }
    });
  });
  afterAll(() => {
    elsewhere.close();
    portal.close();
  });
  beforeEach(() => {
    elsewhere.seen.length = 0;
    portal.seen.length = 0;
  });

  it('follows a redirect within the backend origin, token and method kept', async () => {
    const client = new BackendClient(portal.url, 'agent-secret');
    await expect(client.push({ seq: 1 } as any)).resolves.toMatchObject({
      accepted: true,
    });
    expect(portal.seen).toEqual([
      {
        path: '/api/gitops/agent/v1/push',
        method: 'POST',
        auth: 'Bearer agent-secret',
      },
      {
        path: '/moved/agent/v1/push',
        method: 'POST',
        auth: 'Bearer agent-secret',
      },
    ]);
  });

  it('refuses a backend redirect to another origin without sending it the token', async () => {
    const client = new BackendClient(portal.url, 'agent-secret');
    const error = await client.pollCommands(0).catch(e => e);
    expect(error).toBeInstanceOf(AgentError);
    expect(error.status).toBe(307);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(
      `redirect from ${portal.url} to ${elsewhere.url} refused`,
    );
    expect(elsewhere.seen).toEqual([]);
  });

  it('refuses an ArgoCD API redirect to another origin without sending it the token', async () => {
    const argocd = await recordingServer((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/api/v1/applications` });
      res.end();
    });
    try {
      const commands = new ArgoCdCommands({
        serverUrl: argocd.url,
        token: 'argocd-secret',
        controlPlaneNamespace: 'argocd',
      });
      const result = await commands.execute({
        id: 'c1',
        type: 'refresh',
        resource: { kind: 'Application', namespace: 'argocd', name: 'web' },
      } as any);
      expect(result).toEqual({
        status: 'failed',
        message: expect.stringContaining(
          `redirect from ${argocd.url} to ${elsewhere.url} refused`,
        ),
      });
      expect(argocd.seen[0].auth).toBe('Bearer argocd-secret');
      expect(elsewhere.seen).toEqual([]);
    } finally {
      argocd.close();
    }
  });
});
