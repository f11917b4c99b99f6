import {
  SESSION_SUPERSEDED_ERROR,
  type AgentCommand,
  type CommandResult,
  type GitOpsTool,
  type PushRequest,
  type PushResponse,
} from '@shoehorn/plugin-gitops-common';
import { AgentError } from '../errors/AgentError';
import { CrossOriginRedirectError, fetchWithToken } from '../http/tokenFetch';

/** Whether the backend refused a push because a newer session of this cluster and tool began. */
export function isSessionSuperseded(e: unknown): e is AgentError {
  return (
    e instanceof AgentError &&
    e.status === 409 &&
    e.errorName === SESSION_SUPERSEDED_ERROR
  );
}

const STALE_CONNECTION_CODES = new Set([
  'UND_ERR_SOCKET',
  'ECONNRESET',
  'EPIPE',
]);

/** The agent side of the agent protocol (`/api/gitops/agent/v1`). */
export class BackendClient {
  private readonly base: string;
  private readonly requestTimeoutMs: number;
  private readonly tool?: GitOpsTool;

  /** `tool`: the agent's tool, so a poll gets only that tool's commands of the cluster. */
  constructor(
    backendUrl: string,
    private readonly token: string,
    options: { tool?: GitOpsTool; requestTimeoutMs?: number } = {},
  ) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.tool = options.tool;
    const root = backendUrl.replace(/\/+$/, '');
    this.base = root.endsWith('/api/gitops') ? root : `${root}/api/gitops`;
  }

  /** POST /agent/v1/push. */
  push(body: PushRequest): Promise<PushResponse> {
    return this.call('POST', '/agent/v1/push', body);
  }

  /** GET /agent/v1/commands?wait=N&tool=T: long-polls for this agent's commands of its cluster. */
  async pollCommands(
    waitSeconds: number,
    signal?: AbortSignal,
  ): Promise<AgentCommand[]> {
    const tool = this.tool ? `&tool=${encodeURIComponent(this.tool)}` : '';
    const res = await this.call<{ items: AgentCommand[] }>(
      'GET',
      `/agent/v1/commands?wait=${waitSeconds}${tool}`,
      undefined,
      waitSeconds * 1000 + this.requestTimeoutMs,
      signal,
    );
    return res.items ?? [];
  }

  /** POST /agent/v1/commands/{id}/result. */
  reportResult(id: string, result: CommandResult): Promise<unknown> {
    return this.call(
      'POST',
      `/agent/v1/commands/${encodeURIComponent(id)}/result`,
      result,
    );
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = this.requestTimeoutMs,
    signal?: AbortSignal,
  ): Promise<T> {
    const signals = [
      AbortSignal.timeout(timeoutMs),
      ...(signal ? [signal] : []),
    ];
    let res: Response | undefined;
    for (let attempt = 0; !res; attempt++) {
      try {
        res = await fetchWithToken(`${this.base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.token}`,
            ...(body !== undefined
              ? { 'content-type': 'application/json' }
              : {}),
          },
          body: body !== undefined ? JSON.stringify(body) : undefined,
          signal: AbortSignal.any(signals),
        });
      } catch (e) {
        if (e instanceof CrossOriginRedirectError) {
          throw new AgentError(`${method} ${path}: ${e.message}`, {
            status: e.status,
            cause: e,
          });
        }
        const cause = (e as any)?.cause?.code ?? (e as Error).message;
        // A pooled connection closed by the other side while idle: one fresh try is safe
        // (pushes are idempotent by seq, polls and results by command id).
        if (attempt === 0 && STALE_CONNECTION_CODES.has(cause)) continue;
        throw new AgentError(`${method} ${path}: ${cause}`, { cause: e });
      }
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      let message = text.slice(0, 500);
      let errorName: string | undefined;
      try {
        const error = JSON.parse(text)?.error;
        message = error?.message ?? message;
        errorName = typeof error?.name === 'string' ? error.name : undefined;
      } catch {
        // a non-JSON error body is reported as text
      }
      throw new AgentError(
        `${method} ${path}: HTTP ${res.status}: ${message}`,
        {
          status: res.status,
          errorName,
        },
      );
    }
    return (text ? JSON.parse(text) : {}) as T;
  }
}
