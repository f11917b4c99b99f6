import {
  MAIN_SHA_NEW,
  MAIN_SHA_OLD,
  gitRepository,
  kustomization,
} from './__fixtures__/fluxObjects';
import { accepted } from './__fixtures__/records';
import { FluxSourceIndex } from './fluxSourceIndex';
import { normalizeFluxKustomization } from './fluxKustomization';

const sources = FluxSourceIndex.fromObjects([gitRepository()]);

function readyCondition(ks: any): any {
  return ks.status.conditions.find((c: any) => c.type === 'Ready');
}

describe('normalizeFluxKustomization', () => {
  it('maps a ready Kustomization field by field', () => {
    expect(
      accepted(normalizeFluxKustomization(kustomization(), sources)),
    ).toEqual({
      tool: 'fluxcd',
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'apps',
      uid: 'e1d2c3b4-a596-4877-8c6d-5e4f3a2b1c0d',
      syncStatus: 'Synced',
      healthStatus: 'Healthy',
      source: {
        url: 'ssh://git@github.com/acme/fleet-infra',
        path: './clusters/production/apps',
        chart: null,
      },
      revision: MAIN_SHA_NEW,
      targetRevision: MAIN_SHA_NEW,
      autoSync: true,
      suspended: false,
      lastSyncedAt: '2024-05-01T10:20:07Z',
      drift: { detected: false, reason: null },
      entityAnnotation: 'fleet-apps',
      message: `Applied revision: ${MAIN_SHA_NEW}`,
      readiness: {
        waitsOn: [
          {
            role: 'source',
            kind: 'GitRepository',
            namespace: 'flux-system',
            name: 'flux-system',
          },
        ],
        syncProblem: null,
      },
    });
  });

  it('reports a stuck reconciliation as OutOfSync drift naming both revisions', () => {
    const ks = kustomization();
    ks.status.lastAttemptedRevision = MAIN_SHA_NEW;
    ks.status.lastAppliedRevision = MAIN_SHA_OLD;
    Object.assign(readyCondition(ks), {
      status: 'False',
      reason: 'ReconciliationFailed',
      message:
        'Deployment/apps/podinfo dry-run failed: spec.replicas: Invalid value: -1',
    });
    const record = accepted(normalizeFluxKustomization(ks, sources));
    expect(record).toMatchObject({
      syncStatus: 'OutOfSync',
      healthStatus: 'Degraded',
      revision: MAIN_SHA_OLD,
      targetRevision: MAIN_SHA_NEW,
      drift: {
        detected: true,
        reason: `Stuck reconciliation: last applied ${MAIN_SHA_OLD}, last attempted ${MAIN_SHA_NEW}`,
      },
      message:
        'Deployment/apps/podinfo dry-run failed: spec.replicas: Invalid value: -1',
    });
  });

  it('is Unknown and not drifted while only one revision is known', () => {
    const ks = kustomization();
    delete ks.status.lastAppliedRevision;
    Object.assign(readyCondition(ks), {
      status: 'Unknown',
      reason: 'Progressing',
      message: 'Reconciliation in progress',
    });
    const record = accepted(normalizeFluxKustomization(ks, sources));
    expect(record).toMatchObject({
      syncStatus: 'Unknown',
      healthStatus: 'Progressing',
      revision: null,
      targetRevision: MAIN_SHA_NEW,
      drift: { detected: false, reason: null },
      message: 'Reconciliation in progress',
    });
  });

  it('passes OCI revisions through as the controller writes them', () => {
    const ks = kustomization();
    ks.spec.sourceRef = { kind: 'OCIRepository', name: 'manifests' };
    ks.status.lastAppliedRevision =
      'v1.2.3@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    ks.status.lastAttemptedRevision =
      'v1.2.4@sha256:60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752';
    const record = accepted(normalizeFluxKustomization(ks, sources));
    expect(record.revision).toBe(ks.status.lastAppliedRevision);
    expect(record.targetRevision).toBe(ks.status.lastAttemptedRevision);
    expect(record.syncStatus).toBe('OutOfSync');
    // The agent does not watch OCIRepository objects: its URL is unknown.
    expect(record.source.url).toBeNull();
  });

  describe('health', () => {
    it('is Suspended when suspended, whatever the conditions say', () => {
      const ks = kustomization();
      ks.spec.suspend = true;
      const record = accepted(normalizeFluxKustomization(ks, sources));
      expect(record).toMatchObject({
        healthStatus: 'Suspended',
        suspended: true,
        autoSync: false,
      });
    });

    it('is Degraded when Stalled, even if Ready says otherwise', () => {
      const ks = kustomization();
      ks.status.conditions.push({
        type: 'Stalled',
        status: 'True',
        reason: 'InvalidPath',
        message: 'path does not exist',
        lastTransitionTime: '2024-05-01T10:30:00Z',
      });
      expect(
        accepted(normalizeFluxKustomization(ks, sources)).healthStatus,
      ).toBe('Degraded');
    });

    it('ignores Stalled=False', () => {
      const ks = kustomization();
      ks.status.conditions.push({
        type: 'Stalled',
        status: 'False',
        reason: 'x',
        message: '',
      });
      expect(
        accepted(normalizeFluxKustomization(ks, sources)).healthStatus,
      ).toBe('Healthy');
    });

    it('is Unknown without a Ready condition', () => {
      const ks = kustomization();
      ks.status.conditions = ks.status.conditions.filter(
        (c: any) => c.type !== 'Ready',
      );
      const record = accepted(normalizeFluxKustomization(ks, sources));
      expect(record.healthStatus).toBe('Unknown');
      expect(record.message).toBeNull();
    });

    it('treats spec.suspend: false as running', () => {
      const ks = kustomization();
      ks.spec.suspend = false;
      expect(accepted(normalizeFluxKustomization(ks, sources))).toMatchObject({
        suspended: false,
        autoSync: true,
        healthStatus: 'Healthy',
      });
    });
  });

  describe('lastSyncedAt', () => {
    it('is the newest successful lastReconciled, skipping failed snapshots', () => {
      const ks = kustomization();
      ks.status.history.unshift({
        digest: 'sha256:0000',
        firstReconciled: '2024-05-01T11:00:00Z',
        lastReconciled: '2024-05-01T11:30:00Z',
        lastReconciledDuration: '1s',
        lastReconciledStatus: 'ReconciliationFailed',
        totalReconciliations: 2,
      });
      ks.status.history.reverse();
      expect(
        accepted(normalizeFluxKustomization(ks, sources)).lastSyncedAt,
      ).toBe('2024-05-01T10:20:07Z');
    });

    it("falls back to Ready's lastTransitionTime when Ready=True", () => {
      const ks = kustomization();
      delete ks.status.history;
      expect(
        accepted(normalizeFluxKustomization(ks, sources)).lastSyncedAt,
      ).toBe('2024-05-01T10:00:09Z');
      readyCondition(ks).status = 'False';
      expect(
        accepted(normalizeFluxKustomization(ks, sources)).lastSyncedAt,
      ).toBeNull();
    });

    it('is null with no status', () => {
      const ks = kustomization();
      delete ks.status;
      expect(accepted(normalizeFluxKustomization(ks, sources))).toMatchObject({
        syncStatus: 'Unknown',
        healthStatus: 'Unknown',
        revision: null,
        targetRevision: null,
        lastSyncedAt: null,
        message: null,
        drift: { detected: false, reason: null },
      });
    });
  });

  describe('source', () => {
    it('resolves a sourceRef in another namespace', () => {
      const repo = gitRepository();
      repo.metadata.namespace = 'sources';
      repo.spec.url = 'https://gitlab.example.com/platform/fleet.git';
      const ks = kustomization();
      ks.spec.sourceRef.namespace = 'sources';
      const index = FluxSourceIndex.fromObjects([gitRepository(), repo]);
      expect(accepted(normalizeFluxKustomization(ks, index)).source.url).toBe(
        'https://gitlab.example.com/platform/fleet.git',
      );
    });

    it('defaults the sourceRef namespace to the Kustomization namespace', () => {
      const ks = kustomization();
      ks.metadata.namespace = 'apps';
      expect(
        accepted(normalizeFluxKustomization(ks, sources)).source.url,
      ).toBeNull();
    });

    it('is null when the source is unknown or no index is given', () => {
      expect(
        accepted(normalizeFluxKustomization(kustomization())).source.url,
      ).toBeNull();
      const ks = kustomization();
      ks.spec.sourceRef.name = 'other';
      expect(
        accepted(normalizeFluxKustomization(ks, sources)).source.url,
      ).toBeNull();
    });

    it('maps an empty or absent path to null', () => {
      const ks = kustomization();
      ks.spec.path = '';
      expect(
        accepted(normalizeFluxKustomization(ks, sources)).source.path,
      ).toBeNull();
      delete ks.spec.path;
      expect(
        accepted(normalizeFluxKustomization(ks, sources)).source.path,
      ).toBeNull();
    });
  });
});

describe('normalizeFluxKustomization readiness', () => {
  it('waits on its source, then on each dependsOn Kustomization', () => {
    const ks = kustomization();
    ks.spec.sourceRef = {
      kind: 'OCIRepository',
      name: 'manifests',
      namespace: 'sources',
    };
    ks.spec.dependsOn = [{ name: 'infra' }, { name: 'crds', namespace: 'ops' }];
    expect(accepted(normalizeFluxKustomization(ks)).readiness?.waitsOn).toEqual(
      [
        {
          role: 'source',
          kind: 'OCIRepository',
          namespace: 'sources',
          name: 'manifests',
        },
        {
          role: 'dependsOn',
          kind: 'Kustomization',
          namespace: 'flux-system',
          name: 'infra',
        },
        {
          role: 'dependsOn',
          kind: 'Kustomization',
          namespace: 'ops',
          name: 'crds',
        },
      ],
    );
  });
});
