/* Request counts from the kube-apiserver's own metrics (`apiserver_request_total`). */
import https from 'node:https';
import type { ControlPlane } from '@shoehorn/gitops-test-kit';

const SERIES = /^apiserver_request_total\{([^}]*)\}\s+([0-9.e+]+)$/;

/** Requests the API server has answered for the given resources (plural names), all verbs. */
export async function apiServerRequests(
  cp: ControlPlane,
  resources: string[],
): Promise<number> {
  const text = await new Promise<string>((resolve, reject) => {
    const req = https.get(
      `${cp.server}/metrics`,
      {
        ca: Buffer.from(cp.caData, 'base64').toString('utf8'),
        headers: { authorization: `Bearer ${cp.adminToken}` },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200)
            reject(new Error(`GET /metrics: HTTP ${res.statusCode}`));
          else resolve(body);
        });
      },
    );
    req.on('error', reject);
  });
  let total = 0;
  for (const line of text.split('\n')) {
    const match = SERIES.exec(line);
    if (!match) continue;
    const resource = /(?:^|,)resource="([^"]*)"/.exec(match[1])?.[1];
    if (resource && resources.includes(resource)) total += Number(match[2]);
  }
  return total;
}
