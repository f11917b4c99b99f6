import {
  MAIN_SHA_NEW,
  gitRepository,
  helmRelease,
  helmRepository,
  kustomization,
  ociRepository,
} from './__fixtures__/fluxObjects';
import { accepted } from './__fixtures__/records';
import { normalizeObject } from './normalizeObject';
import { currentRevisionFormat } from './olderVersions';

const SHA1 = '7e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b';
const SHA256 =
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The object as an older controller writes it: the beta apiVersion, revisions before Flux 2.0. */
function asVersion(obj: any, apiVersion: string): any {
  return { ...obj, apiVersion };
}

describe('objects of the older served Flux versions', () => {
  it('a v1beta2 Kustomization maps as its v1 equal, with revisions written the old way made current', () => {
    const current = accepted(normalizeObject(kustomization()));
    const old = asVersion(
      kustomization(),
      'kustomize.toolkit.fluxcd.io/v1beta2',
    );
    old.status.lastAppliedRevision = `main/${SHA1}`;
    old.status.lastAttemptedRevision = `main/${SHA1}`;
    delete old.status.history;
    const record = accepted(normalizeObject(old));
    expect(record.revision).toBe(MAIN_SHA_NEW);
    expect(record.targetRevision).toBe(MAIN_SHA_NEW);
    expect(record.syncStatus).toBe(current.syncStatus);
    expect(record.healthStatus).toBe(current.healthStatus);
    expect(record.source).toEqual(current.source);
    // Without history the last sync is Ready's last transition.
    const ready = old.status.conditions.find((c: any) => c.type === 'Ready');
    expect(record.lastSyncedAt).toBe(ready.lastTransitionTime);
  });

  it('a v2beta2 HelmRelease with a history maps exactly as v2', () => {
    const current = accepted(normalizeObject(helmRelease()));
    const old = accepted(
      normalizeObject(
        asVersion(helmRelease(), 'helm.toolkit.fluxcd.io/v2beta2'),
      ),
    );
    expect(old).toEqual(current);
  });

  it.each(['v2beta1', 'v2beta2'])(
    'a %s HelmRelease without a history takes its revision from lastAppliedRevision',
    version => {
      const old = asVersion(helmRelease(), `helm.toolkit.fluxcd.io/${version}`);
      delete old.status.history;
      old.status.lastAppliedRevision = '6.5.4';
      old.status.lastReleaseRevision = 2;
      old.status.conditions[0] = {
        type: 'Ready',
        status: 'True',
        reason: 'ReconciliationSucceeded',
        message: 'Release reconciliation succeeded',
        lastTransitionTime: '2024-04-15T14:30:00Z',
      };
      const record = accepted(normalizeObject(old));
      expect(record.revision).toBe('6.5.4');
      expect(record.targetRevision).toBe('6.5.5');
      expect(record.syncStatus).toBe('OutOfSync');
      expect(record.source.chart).toBe('podinfo');
      expect(record.lastSyncedAt).toBe('2024-04-15T14:30:00Z');
    },
  );

  it('a v2beta1 HelmRelease never installed has no revision', () => {
    const old = asVersion(helmRelease(), 'helm.toolkit.fluxcd.io/v2beta1');
    delete old.status.history;
    const record = accepted(normalizeObject(old));
    expect(record.revision).toBeNull();
    expect(record.lastSyncedAt).toBeNull();
  });

  it.each([
    ['GitRepository', gitRepository, `main/${SHA1}`, MAIN_SHA_NEW],
    [
      'OCIRepository',
      ociRepository,
      `latest/${SHA256}`,
      `latest@sha256:${SHA256}`,
    ],
    ['HelmRepository', helmRepository, SHA256, `sha256:${SHA256}`],
  ])(
    'a v1beta2 %s with an artifact revision written the old way reads as today',
    (_kind, make, legacy, expected) => {
      const old = asVersion(make(), 'source.toolkit.fluxcd.io/v1beta2');
      old.status.artifact = { ...old.status.artifact, revision: legacy };
      const record = accepted(normalizeObject(old));
      expect(record.revision).toBe(expected);
      const current = accepted(normalizeObject(make()));
      expect(record.source).toEqual(current.source);
      expect(record.targetRevision).toBe(current.targetRevision);
    },
  );

  it.each([
    [`main/${SHA1}`, `main@sha1:${SHA1}`],
    [`release/v1/${SHA1}`, `release/v1@sha1:${SHA1}`],
    [`HEAD/${SHA1}`, `sha1:${SHA1}`],
    [`main@sha1:${SHA1}`, `main@sha1:${SHA1}`],
    ['6.5.4', '6.5.4'],
    ['main/not-a-sha', 'main/not-a-sha'],
  ])('revision %s reads as %s', (legacy, expected) => {
    expect(currentRevisionFormat(legacy)).toBe(expected);
  });
});
