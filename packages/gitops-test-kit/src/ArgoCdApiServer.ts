import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the ArgoCD API server received. */
export interface ArgoCdRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization?: string;
}

/**
 * The two ArgoCD API endpoints the agent calls (sync and get-with-refresh), answering like
 * argocd-server: the Application JSON on success, `{error, code, message}` on failure.
 * Applications live in `apps` keyed by `namespace/name`; a request is refused with
 * PermissionDenied unless it carries the expected bearer token.
 */
export class ArgoCdApiServer {
  readonly requests: ArgoCdRequest[] = [];
  readonly apps = new Map<string, { sync: string; health: string }>();
  private server?: http.Server;
  url = '';

  constructor(
    readonly token: string,
    readonly controlPlaneNamespace = 'argocd',
  ) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const text = Buffer.concat(chunks).toString('utf8');
        const request: ArgoCdRequest = {
          method: req.method ?? '',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          body: text ? JSON.parse(text) : undefined,
          authorization: req.headers.authorization,
        };
        this.requests.push(request);
        const [status, body] = this.answer(request);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>(r => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${
      (this.server.address() as AddressInfo).port
    }`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>(r =>
      this.server ? this.server.close(() => r()) : r(),
    );
  }

  private answer(req: ArgoCdRequest): [number, unknown] {
    if (req.authorization !== `Bearer ${this.token}`) {
      return [
        401,
        {
          error: 'invalid session: token is invalid',
          code: 16,
          message: 'invalid session: token is invalid',
        },
      ];
    }
    const sync = req.path.match(/^\/api\/v1\/applications\/([^/]+)\/sync$/);
    const get = req.path.match(/^\/api\/v1\/applications\/([^/]+)$/);
    const name = decodeURIComponent((sync ?? get)?.[1] ?? '');
    if (req.method === 'POST' && sync) {
      const ns = (req.body as any)?.appNamespace ?? this.controlPlaneNamespace;
      return this.withApp(ns, name, app => ({
        metadata: { name, namespace: ns },
        status: {
          sync: { status: app.sync },
          operationState: { phase: 'Running' },
        },
      }));
    }
    if (req.method === 'GET' && get) {
      const ns = req.query.appNamespace ?? this.controlPlaneNamespace;
      return this.withApp(ns, name, app => ({
        metadata: { name, namespace: ns },
        status: { sync: { status: app.sync }, health: { status: app.health } },
      }));
    }
    return [404, { error: 'Not Found', code: 5, message: 'Not Found' }];
  }

  private withApp(
    namespace: string,
    name: string,
    body: (app: { sync: string; health: string }) => unknown,
  ): [number, unknown] {
    const app = this.apps.get(`${namespace}/${name}`);
    if (!app) {
      // argocd-server hides unknown apps behind a permission error.
      const message = `permission denied: applications, get, default/${name}, sub: shoehorn, iat: 2026-01-01T00:00:00Z`;
      return [403, { error: message, code: 7, message }];
    }
    return [200, body(app)];
  }
}
