import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientErrorsAsJson } from './clientErrors';

function get(port: number, path: string) {
  return new Promise<{ status: number; type?: string; body: string }>(
    (resolve, reject) => {
      http
        .get({ port, path }, res => {
          let body = '';
          res.on('data', chunk => (body += chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              type: res.headers['content-type'],
              body,
            }),
          );
        })
        .on('error', reject);
    },
  );
}

describe('answerClientErrorsAsJson', () => {
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('ok'));
    answerClientErrorsAsJson(server);
    await new Promise<void>(resolve => server.listen(0, resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));

  it('answers an oversized URL with a JSON 431 in the backend error shape', async () => {
    const res = await get(
      port,
      `/api/gitops/v1/resources?q=${'x'.repeat(20_000)}`,
    );
    expect(res.status).toBe(431);
    expect(res.type).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({
      error: { name: 'InputError', message: 'Request Header Fields Too Large' },
      response: { statusCode: 431 },
    });
  });

  it('still serves requests of ordinary size on the same server', async () => {
    const res = await get(port, '/api/gitops/v1/resources?q=checkout');
    expect(res).toMatchObject({ status: 200, body: 'ok' });
  });
});
