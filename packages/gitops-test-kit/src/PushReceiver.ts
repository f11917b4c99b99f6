import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AgentCommand,
  CommandResult,
  GitOpsResource,
  MAX_PUSH_BYTES,
  PushRequest,
  describeSchemaError,
  pushRequestSchema,
  resourceKeyString,
} from '@shoehorn/plugin-gitops-common';

/**
 * A small HTTP receiver of the agent protocol (docs/agent-protocol.md) for tests of the agent's sender and
 * command loop in isolation: it validates pushes with the shared schema, applies snapshots
 * (with parts) and deltas with the seq rule, serves queued commands by long-poll and records
 * results. `down = true` answers 503 to everything, as a backend outage would.
 */
export class PushReceiver {
  readonly resources = new Map<string, GitOpsResource>();
  readonly pushes: PushRequest[] = [];
  readonly results = new Map<string, CommandResult[]>();
  readonly deliveries = new Map<string, number>();
  down = false;
  private server?: http.Server;
  private readonly lastSeq = new Map<string, number>();
  private readonly parts = new Map<string, PushRequest[]>();
  private queue: AgentCommand[] = [];
  private readonly waiters = new Set<() => void>();
  url = '';

  constructor(readonly token = 'agent-test-token') {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        this.handle(req, Buffer.concat(chunks)).then(
          ([status, body]) => {
            res.writeHead(status, { 'content-type': 'application/json' });
            res.end(JSON.stringify(body));
          },
          e => {
            res.writeHead(500, { 'content-type': 'application/json' });
            res.end(
              JSON.stringify({ error: { name: 'Error', message: String(e) } }),
            );
          },
        );
      });
    });
    await new Promise<void>(r => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${
      (this.server.address() as AddressInfo).port
    }`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const w of this.waiters) w();
    this.server?.closeAllConnections();
    await new Promise<void>(r =>
      this.server ? this.server.close(() => r()) : r(),
    );
  }

  /** Queues a command for the agent; answers a waiting long-poll at once. */
  enqueue(command: AgentCommand): void {
    this.queue.push(command);
    for (const w of this.waiters) w();
  }

  /** Sorted resource keys, for comparisons with the cluster. */
  keys(): string[] {
    return [...this.resources.keys()].sort();
  }

  private async handle(
    req: http.IncomingMessage,
    raw: Buffer,
  ): Promise<[number, unknown]> {
    if (this.down)
      return [
        503,
        { error: { name: 'ServiceUnavailable', message: 'backend down' } },
      ];
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return [
        401,
        { error: { name: 'AuthenticationError', message: 'no credentials' } },
      ];
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && url.pathname === '/api/gitops/agent/v1/push') {
      if (raw.length > MAX_PUSH_BYTES)
        return [
          413,
          { error: { name: 'PayloadTooLarge', message: 'too large' } },
        ];
      const parsed = pushRequestSchema.safeParse(
        JSON.parse(raw.toString('utf8')),
      );
      if (!parsed.success) {
        return [
          400,
          {
            error: {
              name: 'InputError',
              message: describeSchemaError(parsed.error),
            },
          },
        ];
      }
      return [200, { applied: this.apply(parsed.data) }];
    }
    if (
      req.method === 'GET' &&
      url.pathname === '/api/gitops/agent/v1/commands'
    ) {
      const wait = Math.min(30, Number(url.searchParams.get('wait') ?? 0));
      if (this.queue.length === 0 && wait > 0) {
        await new Promise<void>(resolve => {
          let timer: NodeJS.Timeout | undefined = undefined;
          const done = () => {
            clearTimeout(timer);
            this.waiters.delete(done);
            resolve();
          };
          timer = setTimeout(done, wait * 1000);
          this.waiters.add(done);
        });
      }
      const items = this.queue;
      this.queue = [];
      for (const c of items)
        this.deliveries.set(c.id, (this.deliveries.get(c.id) ?? 0) + 1);
      return [200, { items }];
    }
    const result = url.pathname.match(
      /^\/api\/gitops\/agent\/v1\/commands\/([^/]+)\/result$/,
    );
    if (req.method === 'POST' && result) {
      const id = decodeURIComponent(result[1]);
      if (!this.deliveries.has(id))
        return [
          404,
          { error: { name: 'NotFoundError', message: `no command ${id}` } },
        ];
      const body = JSON.parse(raw.toString('utf8')) as CommandResult;
      this.results.set(id, [...(this.results.get(id) ?? []), body]);
      return [200, { id, status: body.status, message: body.message }];
    }
    return [
      404,
      {
        error: {
          name: 'NotFoundError',
          message: `${req.method} ${url.pathname}`,
        },
      },
    ];
  }

  private apply(push: PushRequest): number {
    this.pushes.push(push);
    const session = push.agent.session;
    if (
      push.seq <= (this.lastSeq.get(session) ?? -1) &&
      !(push.part && push.part > 1)
    )
      return 0;
    if (push.type === 'snapshot') {
      const id = `${session}/${push.seq}`;
      const staged = [...(this.parts.get(id) ?? []), push];
      if (push.parts && push.part !== push.parts) {
        this.parts.set(id, staged);
        return 0;
      }
      this.parts.delete(id);
      this.lastSeq.set(session, push.seq);
      this.resources.clear();
      let n = 0;
      for (const part of staged) {
        for (const r of part.upserts) {
          this.resources.set(resourceKeyString(r), r);
          n += 1;
        }
      }
      return n;
    }
    this.lastSeq.set(session, push.seq);
    for (const r of push.upserts) this.resources.set(resourceKeyString(r), r);
    for (const k of push.deletes) this.resources.delete(resourceKeyString(k));
    return push.upserts.length + push.deletes.length;
  }
}
