/**
 * A failure the agent met talking to the backend, the Kubernetes API or the ArgoCD API:
 * the HTTP status (undefined when no response came back), whether the same request can
 * succeed later, and the error name the other side answered with, if any.
 */
export class AgentError extends Error {
  readonly status?: number;
  readonly retryable: boolean;
  readonly errorName?: string;

  constructor(
    message: string,
    options: {
      status?: number;
      retryable?: boolean;
      errorName?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AgentError';
    this.status = options.status;
    this.retryable = options.retryable ?? isRetryableStatus(options.status);
    this.errorName = options.errorName;
  }
}

/** Whether a request that failed with this status (undefined: no response) may succeed later. */
export function isRetryableStatus(status: number | undefined): boolean {
  return (
    status === undefined || status === 408 || status === 429 || status >= 500
  );
}

/**
 * The HTTP status of any error the agent sees: an AgentError's, client-node's ApiException
 * (`code`), a watch request's (`statusCode`) or a Kubernetes Status object (`code`).
 */
export function httpStatusOf(e: unknown): number | undefined {
  if (e instanceof AgentError) return e.status;
  const err = e as { code?: unknown; statusCode?: unknown; status?: unknown };
  for (const value of [err?.code, err?.statusCode, err?.status]) {
    if (typeof value === 'number' && value >= 100 && value <= 599) return value;
  }
  return undefined;
}

/** The API server's own message about a failure (from its Status body), if it sent one. */
export function kubeStatusMessage(e: unknown): string | undefined {
  let body = (e as any)?.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined; // a plain-text body, e.g. for a version the server does not serve
    }
  }
  return typeof body?.message === 'string' ? body.message : undefined;
}

/** The first line of what the Kubernetes API server said about a failure, else the error's message. */
export function kubeErrorMessage(e: unknown): string {
  const message = kubeStatusMessage(e) ?? (e as any)?.message ?? String(e);
  return String(message).split('\n')[0];
}

/** One line for a Kubernetes API failure: status, the API server's message, network cause. */
export function describeKubeError(e: unknown): string {
  const status = httpStatusOf(e);
  const cause = (e as any)?.cause?.code ? ` (${(e as any).cause.code})` : '';
  return `${status ? `HTTP ${status}: ` : ''}${kubeErrorMessage(e)}${cause}`;
}
