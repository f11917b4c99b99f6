import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentMetrics } from './AgentMetrics';

/** Readiness as reported on /readyz. */
export interface ReadinessReport {
  ready: boolean;
  [detail: string]: unknown;
}

/** Serves /healthz, /readyz and /metrics. */
export class OpsServer {
  private server?: http.Server;

  constructor(
    private readonly metrics: AgentMetrics,
    private readonly readiness: () => ReadinessReport,
  ) {}

  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    this.server = http.createServer((req, res) => {
      this.handle(req.url ?? '/').then(
        ({ status, type, body }) => {
          res.writeHead(status, { 'content-type': type });
          res.end(body);
        },
        e => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(e));
        },
      );
    });
    await new Promise<void>(resolve =>
      this.server!.listen(port, host, resolve),
    );
    return (this.server.address() as AddressInfo).port;
  }

  private async handle(
    url: string,
  ): Promise<{ status: number; type: string; body: string }> {
    const path = url.split('?')[0];
    if (path === '/healthz')
      return { status: 200, type: 'text/plain', body: 'ok\n' };
    if (path === '/readyz') {
      const report = this.readiness();
      return {
        status: report.ready ? 200 : 503,
        type: 'application/json',
        body: `${JSON.stringify(report)}\n`,
      };
    }
    if (path === '/metrics') {
      return {
        status: 200,
        type: this.metrics.registry.contentType,
        body: await this.metrics.registry.metrics(),
      };
    }
    return { status: 404, type: 'text/plain', body: 'not found\n' };
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections?.();
    await new Promise<void>(resolve => server.close(() => resolve()));
  }
}
