import {
  gitRepository,
  helmRepository,
  ociRepository,
  kustomization,
} from './__fixtures__/fluxObjects';
import { FluxSourceIndex } from './fluxSourceIndex';

describe('FluxSourceIndex', () => {
  it('indexes GitRepository URLs by kind, namespace and name', () => {
    const index = FluxSourceIndex.fromObjects([
      gitRepository(),
      kustomization(),
      null,
      'text',
    ]);
    expect(index.size).toBe(1);
    expect(index.urlOf('GitRepository', 'flux-system', 'flux-system')).toBe(
      'ssh://git@github.com/acme/fleet-infra',
    );
    expect(index.urlOf('GitRepository', 'default', 'flux-system')).toBeNull();
    expect(
      index.urlOf('OCIRepository', 'flux-system', 'flux-system'),
    ).toBeNull();
  });

  it('does not index other source kinds or versions', () => {
    const bucket = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'Bucket',
      metadata: { name: 'podinfo', namespace: 'flux-system' },
      spec: { endpoint: 'minio.example.com' },
    };
    const oldRepo = gitRepository();
    oldRepo.apiVersion = 'source.toolkit.fluxcd.io/v1beta1';
    const index = new FluxSourceIndex();
    expect(index.add(bucket)).toBe(false);
    expect(index.add(oldRepo)).toBe(false);
    expect(index.size).toBe(0);
  });

  it('indexes OCIRepository and HelmRepository URLs beside GitRepository ones', () => {
    const index = FluxSourceIndex.fromObjects([
      ociRepository(),
      helmRepository(),
    ]);
    expect(index.urlOf('OCIRepository', 'flux-system', 'podinfo')).toBe(
      'oci://ghcr.io/stefanprodan/manifests/podinfo',
    );
    expect(index.urlOf('HelmRepository', 'flux-system', 'podinfo')).toBe(
      'https://stefanprodan.github.io/podinfo',
    );
  });

  it('follows updates and deletes of a watched GitRepository', () => {
    const repo = gitRepository();
    const index = new FluxSourceIndex();
    expect(index.add(repo)).toBe(true);
    repo.spec.url = 'https://github.com/acme/fleet-infra.git';
    index.add(repo);
    expect(index.urlOf('GitRepository', 'flux-system', 'flux-system')).toBe(
      'https://github.com/acme/fleet-infra.git',
    );
    delete repo.spec.url;
    index.add(repo);
    expect(index.size).toBe(0);
    repo.spec.url = 'https://example.com/x';
    index.add(repo);
    index.remove(repo);
    expect(index.size).toBe(0);
  });

  it('keeps names with separators apart', () => {
    const index = new FluxSourceIndex();
    index.set('GitRepository', 'a/b', 'c', 'one');
    index.set('GitRepository', 'a', 'b/c', 'two');
    expect(index.urlOf('GitRepository', 'a/b', 'c')).toBe('one');
    expect(index.urlOf('GitRepository', 'a', 'b/c')).toBe('two');
  });
});
