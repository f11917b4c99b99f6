import {
  OCI_REVISION,
  helmRepository,
  ociRepository,
} from './__fixtures__/fluxObjects';
import { accepted, rejected } from './__fixtures__/records';
import { normalizeFluxHelmRepository } from './fluxHelmRepository';
import { normalizeFluxOciRepository } from './fluxOciRepository';
import { normalizeObject } from './normalizeObject';

describe('normalizeFluxOciRepository', () => {
  it('maps a ready OCIRepository field by field', () => {
    expect(accepted(normalizeObject(ociRepository()))).toEqual({
      tool: 'fluxcd',
      kind: 'OCIRepository',
      namespace: 'flux-system',
      name: 'podinfo',
      uid: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
      syncStatus: 'Synced',
      healthStatus: 'Healthy',
      source: {
        url: 'oci://ghcr.io/stefanprodan/manifests/podinfo',
        path: null,
        chart: null,
      },
      revision: OCI_REVISION,
      targetRevision: '6.5.x',
      autoSync: true,
      suspended: false,
      lastSyncedAt: '2024-05-01T10:01:00Z',
      drift: { detected: false, reason: null },
      entityAnnotation: null,
      message: `stored artifact for digest '${OCI_REVISION}'`,
      readiness: { waitsOn: [], syncProblem: null },
    });
  });

  it.each([
    [
      'digest over semver and tag',
      { digest: 'sha256:ab', semver: '6.x', tag: 'v6' },
      'sha256:ab',
    ],
    ['semver over tag', { semver: '6.x', tag: 'v6' }, '6.x'],
    ['tag alone', { tag: '6.5.4' }, '6.5.4'],
    ['no ref: latest', undefined, 'latest'],
  ])('target revision: %s', (_label, ref, expected) => {
    const repo = ociRepository();
    repo.spec.ref = ref;
    expect(accepted(normalizeFluxOciRepository(repo)).targetRevision).toBe(
      expected,
    );
  });

  it('rejects the v1beta1 API it does not understand', () => {
    const repo = ociRepository();
    repo.apiVersion = 'source.toolkit.fluxcd.io/v1beta1';
    expect(rejected(normalizeFluxOciRepository(repo))).toMatch(
      /unsupported apiVersion/,
    );
  });
});

describe('normalizeFluxHelmRepository', () => {
  it('is Degraded with the index error as its message, and has no target revision', () => {
    const record = accepted(normalizeObject(helmRepository()));
    expect(record).toMatchObject({
      kind: 'HelmRepository',
      syncStatus: 'OutOfSync',
      healthStatus: 'Degraded',
      source: { url: 'https://stefanprodan.github.io/podinfo' },
      revision: null,
      targetRevision: null,
      message: 'failed to fetch Helm repository index: 401 Unauthorized',
    });
  });

  it('is Suspended when spec.suspend is true', () => {
    const repo = helmRepository();
    repo.spec.suspend = true;
    const record = accepted(normalizeFluxHelmRepository(repo));
    expect(record.healthStatus).toBe('Suspended');
    expect(record.suspended).toBe(true);
  });
});
