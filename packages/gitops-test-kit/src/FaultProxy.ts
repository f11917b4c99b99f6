import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * How the proxy treats traffic: pass it, fail watch requests with 500, answer every request
 * 404 (a kind that is briefly not served), or go silent.
 */
export type FaultMode = 'pass' | 'fail-watches' | 'not-found' | 'silent';

/**
 * A plain-HTTP proxy in front of the kube-apiserver that injects faults a real network or
 * apiserver shows: watch requests answered with 500, or every stream going silent (open
 * connections stop delivering, new requests hang).
 */
export class FaultProxy {
  mode: FaultMode = 'pass';
  watchRequests = 0;
  listRequests = 0;
  private server?: http.Server;
  private readonly openWatches = new Set<http.ServerResponse>();
  url = '';

  constructor(
    private readonly target: string,
    private readonly caPem: string,
  ) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const isWatch = /[?&]watch=true/.test(req.url ?? '');
      if (isWatch) this.watchRequests += 1;
      else if (req.method === 'GET') this.listRequests += 1;
      if (this.mode === 'silent') return; // hold the request forever
      const injected = injectedStatus(this.mode, isWatch);
      if (injected) {
        res.writeHead(injected, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            kind: 'Status',
            code: injected,
            message: 'injected fault',
          }),
        );
        return;
      }
      const upstream = https.request(
        `${this.target}${req.url}`,
        {
          method: req.method,
          headers: { ...req.headers, host: new URL(this.target).host },
          ca: this.caPem,
        },
        up => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.on('data', chunk => {
            if (this.mode !== 'silent') res.write(chunk);
          });
          up.on('end', () => res.end());
          up.on('error', () => res.destroy());
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
      if (isWatch) this.openWatches.add(res);
      res.on('close', () => {
        this.openWatches.delete(res);
        upstream.destroy();
      });
    });
    await new Promise<void>(r => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${
      (this.server.address() as AddressInfo).port
    }`;
    return this.url;
  }

  get openWatchCount(): number {
    return this.openWatches.size;
  }

  /** Ends every open watch response cleanly, as an apiserver does when a watch times out. */
  endWatches(): void {
    for (const res of this.openWatches) res.end();
  }

  /** A KubeConfig that reaches the apiserver through this proxy with a bearer token. */
  kubeConfig(token: string): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'proxy', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'u', token }],
      contexts: [{ name: 'proxy', cluster: 'proxy', user: 'u' }],
      currentContext: 'proxy',
    });
    return kc;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>(r =>
      this.server ? this.server.close(() => r()) : r(),
    );
  }
}

/** The status the proxy answers in place of the API server, or 0 to pass the request. */
function injectedStatus(mode: FaultMode, isWatch: boolean): number {
  if (mode === 'not-found') return 404;
  if (mode === 'fail-watches' && isWatch) return 500;
  return 0;
}
