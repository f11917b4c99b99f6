/*
 * A TCP proxy that adds a fixed one-way delay in each direction, so a loopback API server
 * answers like a cluster `rttMs` away (TLS passes through untouched: handshakes pay it too).
 */
import net from 'node:net';

export class LatencyProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly target: { host: string; port: number },
    readonly rttMs: number,
  ) {}

  async start(): Promise<number> {
    const delay = this.rttMs / 2;
    // Timers of one duration fire in the order they were set, so byte order is kept.
    const forward = (from: net.Socket, to: net.Socket) => {
      from.on('data', chunk => {
        setTimeout(() => {
          if (!to.destroyed) to.write(chunk);
        }, delay);
      });
      from.on('end', () => setTimeout(() => to.end(), delay));
      from.on('error', () => to.destroy());
      from.on('close', () => setTimeout(() => to.destroy(), delay));
    };
    this.server = net.createServer(client => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
      }
      forward(client, upstream);
      forward(upstream, client);
    });
    await new Promise<void>(r => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>(r =>
      this.server ? this.server.close(() => r()) : r(),
    );
  }
}

/** A loopback port with nothing listening: connections to it are refused at once. */
export async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>(r => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>(r => srv.close(() => r()));
  return port;
}
