import {
  chartRefHelmRelease,
  gitRepository,
  helmRelease,
} from './__fixtures__/fluxObjects';
import { accepted } from './__fixtures__/records';
import { FluxSourceIndex } from './fluxSourceIndex';
import { normalizeFluxHelmRelease } from './fluxHelmRelease';

function condition(hr: any, type: string): any {
  return hr.status.conditions.find((c: any) => c.type === type);
}

describe('normalizeFluxHelmRelease', () => {
  it('maps a failed upgrade: the deployed snapshot is current, the attempt is the target', () => {
    expect(accepted(normalizeFluxHelmRelease(helmRelease()))).toEqual({
      tool: 'fluxcd',
      kind: 'HelmRelease',
      namespace: 'podinfo',
      name: 'podinfo',
      uid: '7c6b5a49-3827-4615-a0f9-e8d7c6b5a493',
      syncStatus: 'OutOfSync',
      healthStatus: 'Degraded',
      source: { url: null, path: null, chart: 'podinfo' },
      revision: '6.5.4',
      targetRevision: '6.5.5',
      autoSync: true,
      suspended: false,
      lastSyncedAt: '2024-04-15T14:30:00Z',
      drift: {
        detected: true,
        reason:
          'Stuck reconciliation: last applied 6.5.4, last attempted 6.5.5',
      },
      entityAnnotation: null,
      message:
        'Helm upgrade failed for release podinfo/podinfo with chart podinfo@6.5.5: context deadline exceeded',
      readiness: {
        waitsOn: [
          {
            role: 'source',
            kind: 'HelmRepository',
            namespace: 'flux-system',
            name: 'podinfo',
          },
        ],
        syncProblem: null,
      },
    });
  });

  it('waits on its chartRef source and on each dependsOn release, in their namespaces', () => {
    const hr = chartRefHelmRelease();
    hr.spec.dependsOn = [
      { name: 'cert-manager', namespace: 'cert-manager' },
      { name: 'ingress' },
      { namespace: 'no-name' },
    ];
    const waitsOn = accepted(normalizeFluxHelmRelease(hr)).readiness?.waitsOn;
    expect(waitsOn).toEqual([
      {
        role: 'source',
        kind: hr.spec.chartRef.kind,
        namespace: hr.spec.chartRef.namespace ?? hr.metadata.namespace,
        name: hr.spec.chartRef.name,
      },
      {
        role: 'dependsOn',
        kind: 'HelmRelease',
        namespace: 'cert-manager',
        name: 'cert-manager',
      },
      {
        role: 'dependsOn',
        kind: 'HelmRelease',
        namespace: hr.metadata.namespace,
        name: 'ingress',
      },
    ]);
  });

  it('picks the deployed snapshot with the highest version, whatever the order', () => {
    const hr = helmRelease();
    hr.status.history = [
      {
        ...hr.status.history[2],
        status: 'deployed',
        version: 4,
        chartVersion: '6.5.6',
        lastDeployed: '2024-05-03T00:00:00Z',
      },
      ...hr.status.history,
    ].reverse();
    hr.status.lastAttemptedRevision = '6.5.6';
    const record = accepted(normalizeFluxHelmRelease(hr));
    expect(record.revision).toBe('6.5.6');
    expect(record.lastSyncedAt).toBe('2024-05-03T00:00:00Z');
    expect(record.syncStatus).toBe('Synced');
    expect(record.drift).toEqual({ detected: false, reason: null });
  });

  it('has no revision when nothing was ever deployed', () => {
    const hr = helmRelease();
    hr.status.history = hr.status.history.filter(
      (s: any) => s.status === 'failed',
    );
    const record = accepted(normalizeFluxHelmRelease(hr));
    expect(record).toMatchObject({
      revision: null,
      lastSyncedAt: null,
      syncStatus: 'Unknown',
      drift: { detected: false, reason: null },
    });
  });

  it('ignores status.lastAppliedRevision, which v2 does not have', () => {
    const hr = helmRelease();
    hr.status.lastAppliedRevision = '6.5.5';
    expect(accepted(normalizeFluxHelmRelease(hr)).revision).toBe('6.5.4');
  });

  it('resolves a GitRepository chart source, namespace defaulting to the release', () => {
    const repo = gitRepository();
    repo.metadata.namespace = 'podinfo';
    repo.metadata.name = 'charts';
    repo.spec.url = 'https://github.com/stefanprodan/podinfo';
    const hr = helmRelease();
    hr.spec.chart.spec.chart = './charts/podinfo';
    hr.spec.chart.spec.sourceRef = { kind: 'GitRepository', name: 'charts' };
    const record = accepted(
      normalizeFluxHelmRelease(hr, FluxSourceIndex.fromObjects([repo])),
    );
    expect(record.source).toEqual({
      url: 'https://github.com/stefanprodan/podinfo',
      path: null,
      chart: './charts/podinfo',
    });
  });

  it('takes the chart of a chartRef release from the newest snapshot', () => {
    const hr = chartRefHelmRelease();
    hr.status.history.unshift({
      ...hr.status.history[0],
      chartName: 'podinfo-next',
      chartVersion: '7.0.0+ffeeddccbbaa',
      status: 'failed',
      version: 2,
    });
    const record = accepted(
      normalizeFluxHelmRelease(
        hr,
        FluxSourceIndex.fromObjects([gitRepository()]),
      ),
    );
    expect(record.source).toEqual({
      url: null,
      path: null,
      chart: 'podinfo-next',
    });
    expect(record.revision).toBe('6.6.0+0a1b2c3d4e5f');
  });

  it('passes OCI chart versions through and is Synced when they match', () => {
    const record = accepted(normalizeFluxHelmRelease(chartRefHelmRelease()));
    expect(record).toMatchObject({
      syncStatus: 'Synced',
      healthStatus: 'Healthy',
      revision: '6.6.0+0a1b2c3d4e5f',
      targetRevision: '6.6.0+0a1b2c3d4e5f',
      lastSyncedAt: '2024-05-03T07:00:30Z',
      source: { chart: 'podinfo' },
    });
  });

  describe('drift', () => {
    it('is detected from Drifted=True, with its message, while in sync', () => {
      const hr = chartRefHelmRelease();
      hr.status.conditions.push({
        type: 'Drifted',
        status: 'True',
        reason: 'DriftDetected',
        message: 'Deployment/apps/podinfo: spec.replicas changed from 2 to 5',
        lastTransitionTime: '2024-05-03T08:00:00Z',
      });
      const record = accepted(normalizeFluxHelmRelease(hr));
      expect(record.syncStatus).toBe('Synced');
      expect(record.drift).toEqual({
        detected: true,
        reason:
          'Helm release drifted from its desired state (Drifted=True): Deployment/apps/podinfo: spec.replicas changed from 2 to 5',
      });
    });

    it('names both causes when stuck and drifted', () => {
      const hr = helmRelease();
      hr.status.conditions.push({
        type: 'Drifted',
        status: 'True',
        reason: 'DriftDetected',
        message: '',
      });
      expect(accepted(normalizeFluxHelmRelease(hr)).drift).toEqual({
        detected: true,
        reason:
          'Stuck reconciliation: last applied 6.5.4, last attempted 6.5.5; Helm release drifted from its desired state (Drifted=True)',
      });
    });

    it('is not detected from Drifted=False', () => {
      const hr = chartRefHelmRelease();
      hr.status.conditions.push({
        type: 'Drifted',
        status: 'False',
        reason: 'NoDriftDetected',
        message: 'no drift',
      });
      expect(accepted(normalizeFluxHelmRelease(hr)).drift.detected).toBe(false);
    });
  });

  it('is Progressing while Ready=Unknown', () => {
    const hr = helmRelease();
    Object.assign(condition(hr, 'Ready'), {
      status: 'Unknown',
      reason: 'Progressing',
      message: "Running 'upgrade' action with timeout of 5m0s",
    });
    const record = accepted(normalizeFluxHelmRelease(hr));
    expect(record.healthStatus).toBe('Progressing');
    expect(record.message).toBe(
      "Running 'upgrade' action with timeout of 5m0s",
    );
  });

  it('is Suspended and not auto-synced when suspended', () => {
    const hr = helmRelease();
    hr.spec.suspend = true;
    expect(accepted(normalizeFluxHelmRelease(hr))).toMatchObject({
      healthStatus: 'Suspended',
      suspended: true,
      autoSync: false,
    });
  });

  it('maps a release with no status', () => {
    const hr = helmRelease();
    delete hr.status;
    expect(accepted(normalizeFluxHelmRelease(hr))).toMatchObject({
      syncStatus: 'Unknown',
      healthStatus: 'Unknown',
      revision: null,
      targetRevision: null,
      lastSyncedAt: null,
      source: { chart: 'podinfo', url: null, path: null },
      message: null,
    });
  });
});
