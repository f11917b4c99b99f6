import { kindReport } from './kindReport';

const informer = (
  kind: string,
  state: 'synced' | 'missing' | 'forbidden' | 'failing' | 'starting',
  opts: { stale?: boolean; lastError?: string; version?: string } = {},
) => ({
  kind: { kind: kind as 'Kustomization', group: 'kustomize.toolkit.fluxcd.io' },
  version: opts.version ?? 'v1',
  unavailable: state === 'missing' || state === 'forbidden',
  stale: opts.stale ?? false,
  lastError: opts.lastError,
});

describe('kindReport', () => {
  it('gives one entry per kind over its namespaces, stale when any namespace is', () => {
    expect(
      kindReport([
        informer('Kustomization', 'synced'),
        informer('Kustomization', 'failing', {
          stale: true,
          lastError: 'Kubernetes API error (HTTP 403): forbidden',
        }),
      ]),
    ).toEqual([
      {
        kind: 'Kustomization',
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        state: 'stale',
        reason: 'Kubernetes API error (HTTP 403): forbidden',
      },
    ]);
  });

  it('says unavailable only when every namespace finds the CRD missing', () => {
    const missing = informer('Kustomization', 'missing', {
      lastError:
        'CRD kustomizations.kustomize.toolkit.fluxcd.io is not installed',
    });
    expect(kindReport([missing, missing])).toEqual([
      {
        kind: 'Kustomization',
        apiVersion: null,
        state: 'unavailable',
        reason:
          'CRD kustomizations.kustomize.toolkit.fluxcd.io is not installed',
      },
    ]);
    expect(
      kindReport([missing, informer('Kustomization', 'synced')])[0].state,
    ).toBe('watching');
  });

  it('says unavailable, with the reason, for an optional kind the agent may not read', () => {
    const reason =
      'not allowed to read appprojects.argoproj.io: Kubernetes API error (HTTP 403): forbidden';
    expect(
      kindReport([
        {
          ...informer('AppProject', 'forbidden', { lastError: reason }),
          kind: { kind: 'AppProject', group: 'argoproj.io' },
        },
      ]),
    ).toEqual([
      { kind: 'AppProject', apiVersion: null, state: 'unavailable', reason },
    ]);
  });

  it('says which served version each kind is watched in', () => {
    expect(
      kindReport([
        informer('Kustomization', 'synced', { version: 'v1beta2' }),
        informer('Kustomization', 'synced', { version: 'v1beta2' }),
      ]),
    ).toEqual([
      {
        kind: 'Kustomization',
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
        state: 'watching',
      },
    ]);
  });

  it('keeps a long Kubernetes error within the wire bound', () => {
    const [entry] = kindReport([
      informer('Kustomization', 'failing', {
        stale: true,
        lastError: 'x'.repeat(5000),
      }),
    ]);
    expect(entry.reason).toHaveLength(1000);
  });
});
