import {
  hydratorApplication,
  syncedApplication,
} from './__fixtures__/argoApplications';
import {
  chartRefHelmRelease,
  gitRepository,
  helmRelease,
  kustomization,
} from './__fixtures__/fluxObjects';
import { accepted, rejected } from './__fixtures__/records';
import { FluxSourceIndex } from './fluxSourceIndex';
import { normalizeObject } from './normalizeObject';
import { describeRawObject } from './objectMeta';

describe('normalizeObject', () => {
  it('dispatches every watched kind by apiVersion group and kind', () => {
    const sources = FluxSourceIndex.fromObjects([gitRepository()]);
    const kinds = [
      syncedApplication(),
      hydratorApplication(),
      kustomization(),
      helmRelease(),
      chartRefHelmRelease(),
      gitRepository(),
    ].map(obj => {
      const record = accepted(normalizeObject(obj, sources));
      return `${record.tool}/${record.kind}`;
    });
    expect(kinds).toEqual([
      'argocd/Application',
      'argocd/Application',
      'fluxcd/Kustomization',
      'fluxcd/HelmRelease',
      'fluxcd/HelmRelease',
      'fluxcd/GitRepository',
    ]);
    expect(accepted(normalizeObject(kustomization(), sources)).source.url).toBe(
      'ssh://git@github.com/acme/fleet-infra',
    );
  });

  it.each([
    [
      'kustomize.toolkit.fluxcd.io/v1beta1',
      kustomization,
      'kustomize.toolkit.fluxcd.io/v1, kustomize.toolkit.fluxcd.io/v1beta2',
    ],
    [
      'helm.toolkit.fluxcd.io/v2alpha1',
      helmRelease,
      'helm.toolkit.fluxcd.io/v2, helm.toolkit.fluxcd.io/v2beta2',
    ],
    [
      'source.toolkit.fluxcd.io/v1beta1',
      gitRepository,
      'source.toolkit.fluxcd.io/v1, source.toolkit.fluxcd.io/v1beta2',
    ],
    ['argoproj.io/v1beta1', syncedApplication, 'argoproj.io/v1alpha1'],
  ])(
    'rejects the unsupported version %s, naming the supported one',
    (apiVersion, make, supported) => {
      const obj = make();
      obj.apiVersion = apiVersion;
      const reason = rejected(normalizeObject(obj));
      expect(reason).toContain(apiVersion);
      expect(reason).toContain(supported);
    },
  );

  it.each([
    [
      'a ConfigMap',
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'x', namespace: 'y' },
      },
      'not a watched GitOps kind',
    ],
    [
      'a Bucket',
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'Bucket',
        metadata: { name: 'podinfo', namespace: 'flux-system' },
        spec: { bucketName: 'podinfo' },
      },
      'not a watched GitOps kind',
    ],
    [
      'an ApplicationSet',
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'ApplicationSet',
        metadata: { name: 'x', namespace: 'argocd' },
      },
      'not a watched GitOps kind',
    ],
    [
      'a kind from another group',
      {
        apiVersion: 'example.com/v1',
        kind: 'Application',
        metadata: { name: 'x', namespace: 'y' },
      },
      'not a watched GitOps kind',
    ],
    [
      'no apiVersion',
      { kind: 'Application', metadata: { name: 'x', namespace: 'y' } },
      'apiVersion is missing or empty',
    ],
    [
      'no kind',
      {
        apiVersion: 'argoproj.io/v1alpha1',
        metadata: { name: 'x', namespace: 'y' },
      },
      'kind is missing or empty',
    ],
    ['null', null, 'not a Kubernetes object'],
    ['an array', [syncedApplication()], 'not a Kubernetes object'],
    ['a string', 'apiVersion: argoproj.io/v1alpha1', 'not a Kubernetes object'],
    ['a number', 42, 'not a Kubernetes object'],
  ])('rejects %s', (_label, obj, reason) => {
    expect(rejected(normalizeObject(obj))).toBe(reason);
  });

  it('rejects objects without a name or namespace, naming the field', () => {
    const noName = syncedApplication();
    delete noName.metadata.name;
    expect(rejected(normalizeObject(noName))).toBe(
      'metadata.name is missing or empty',
    );
    const noNamespace = kustomization();
    noNamespace.metadata.namespace = '';
    expect(rejected(normalizeObject(noNamespace))).toBe(
      'metadata.namespace is missing or empty',
    );
  });

  it('accepts a manifest without a uid, with an empty uid', () => {
    const app = syncedApplication();
    delete app.metadata.uid;
    expect(accepted(normalizeObject(app)).uid).toBe('');
  });

  it('turns throwing getters and proxies into rejections', () => {
    const app = syncedApplication();
    Object.defineProperty(app.status, 'sync', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(rejected(normalizeObject(app))).toBe('unreadable object: boom');

    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        has() {
          throw new Error('trap');
        },
        getOwnPropertyDescriptor() {
          throw new Error('trap');
        },
      },
    );
    expect(normalizeObject(hostile).ok).toBe(false);
    expect(describeRawObject(hostile)).toBe('(unreadable object)');
  });

  it('copes with cycles, huge numbers and inherited property names', () => {
    const hr = helmRelease();
    hr.status.self = hr;
    hr.spec.chart.spec.sourceRef.parent = hr.spec;
    hr.status.history[0].version = Number.MAX_VALUE;
    hr.status.history[1].version = Infinity;
    hr.status.history[2].version = 1e400;
    const record = accepted(normalizeObject(hr));
    expect(record.revision).toBe('6.5.4');

    const inherited = JSON.parse(
      '{"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"a","namespace":"b","__proto__":{"uid":"x"}},"spec":{}}',
    );
    expect(accepted(normalizeObject(inherited)).uid).toBe('');
    const noStatus = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'toString', namespace: 'constructor' },
    };
    expect(accepted(normalizeObject(noStatus)).syncStatus).toBe('Unknown');
  });
});

describe('describeRawObject', () => {
  it('names apiVersion, kind, namespace and name', () => {
    expect(describeRawObject(kustomization())).toBe(
      'kustomize.toolkit.fluxcd.io/v1 Kustomization flux-system/apps',
    );
    expect(
      describeRawObject({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'apps' },
      }),
    ).toBe('v1 Namespace apps');
    expect(describeRawObject(7)).toBe('? ? ?');
  });

  it('keeps one line whatever the names hold', () => {
    expect(
      describeRawObject({
        apiVersion: 'v1\n',
        kind: 'A\r\nB',
        metadata: { name: 'n\u0000' },
      }),
    ).toBe('v1\\n A\\r\\nB n\\u0000');
  });
});
