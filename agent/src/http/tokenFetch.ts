/** A redirect the agent refused to follow because it leaves the origin its token belongs to. */
export class CrossOriginRedirectError extends Error {
  constructor(readonly status: number, from: URL, to: URL) {
    super(
      `HTTP ${status} redirect from ${from.origin} to ${to.origin} refused: the token is sent only to ${from.origin}`,
    );
    this.name = 'CrossOriginRedirectError';
  }
}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * fetch() for requests that carry a bearer token: redirects are followed only within the
 * origin of the first URL, so the Authorization header never reaches another host.
 */
export async function fetchWithToken(
  url: string,
  init: RequestInit,
): Promise<Response> {
  const origin = new URL(url);
  let current = origin;
  let request = init;
  for (let hops = 0; ; hops++) {
    const res = await fetch(current, { ...request, redirect: 'manual' });
    const location = res.headers.get('location');
    if (!REDIRECT_STATUSES.has(res.status) || !location) return res;
    await res.body?.cancel();
    const next = new URL(location, current);
    if (next.origin !== origin.origin) {
      throw new CrossOriginRedirectError(res.status, origin, next);
    }
    if (hops >= MAX_REDIRECTS) {
      throw new Error(`more than ${MAX_REDIRECTS} redirects from ${url}`);
    }
    // 303, and 301/302 after a POST, turn into a GET without body (as browsers do).
    if (
      res.status === 303 ||
      ((res.status === 301 || res.status === 302) && request.method === 'POST')
    ) {
      const headers = new Headers(request.headers);
      headers.delete('content-type');
      request = { ...request, method: 'GET', body: undefined, headers };
    }
    current = next;
  }
}
