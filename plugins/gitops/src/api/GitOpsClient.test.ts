import { GitOpsClient } from './GitOpsClient';
import { errorMessage } from '../lib/errors';

function clientAnswering(status: number, body: unknown) {
  const calls: Array<{ url: string; init?: RequestInit }> = [];
  const client = new GitOpsClient({
    discoveryApi: { getBaseUrl: async id => `http://portal/api/${id}` },
    fetchApi: {
      fetch: async (url: any, init?: RequestInit) => {
        calls.push({ url: String(url), init });
        return new Response(JSON.stringify(body), {
          status,
          statusText: status === 200 ? 'OK' : 'Conflict',
          headers: { 'Content-Type': 'application/json' },
        });
      },
    },
  });
  return { client, calls };
}

describe('GitOpsClient', () => {
  it('sends each filter value as a repeated query parameter', async () => {
    const { client, calls } = clientAnswering(200, {
      items: [],
      totalCount: 0,
      nextCursor: null,
    });
    await client.listResources({
      syncStatus: ['OutOfSync', 'Unknown'],
      cluster: ['prod-eu'],
      q: 'a&b',
      revision: 'v1.4.2',
      drift: true,
      limit: 25,
      cursor: 'abc',
      sort: '-lastSyncedAt',
    });
    const url = new URL(calls[0].url);
    expect(url.pathname).toBe('/api/gitops/v1/resources');
    expect(url.searchParams.getAll('syncStatus')).toEqual([
      'OutOfSync',
      'Unknown',
    ]);
    expect(url.searchParams.get('q')).toBe('a&b');
    expect(url.searchParams.get('revision')).toBe('v1.4.2');
    expect(url.searchParams.get('drift')).toBe('true');
    expect(url.searchParams.get('cursor')).toBe('abc');
    expect(url.searchParams.get('sort')).toBe('-lastSyncedAt');
  });

  it('encodes ids and entity refs into paths', async () => {
    const { client, calls } = clientAnswering(200, { items: [] });
    await client.getEntityResources({
      kind: 'component',
      namespace: 'default',
      name: 'a/b',
    });
    await client.linkResource('x/y', 'component:default/shop');
    expect(calls[0].url).toBe(
      'http://portal/api/gitops/v1/entities/component/default/a%2Fb/resources',
    );
    expect(calls[1].url).toBe(
      'http://portal/api/gitops/v1/resources/x%2Fy/link',
    );
    expect(calls[1].init?.method).toBe('POST');
    expect(calls[1].init?.body).toBe(
      JSON.stringify({ entityRef: 'component:default/shop' }),
    );
  });

  it("surfaces the backend's explanation of a refusal", async () => {
    const { client } = clientAnswering(409, {
      error: {
        name: 'ConflictError',
        message: 'cluster prod-eu is read-only: its agent has no ArgoCD token',
      },
      response: { statusCode: 409 },
    });
    const error = await client
      .createCommand('r1', { type: 'sync' })
      .catch(e => e);
    expect(errorMessage(error)).toBe(
      'cluster prod-eu is read-only: its agent has no ArgoCD token',
    );
  });
});
