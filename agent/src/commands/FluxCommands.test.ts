import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import type { AgentCommand } from '@shoehorn/plugin-gitops-common';
import {
  ClusterObjects,
  eventually,
  ControlPlane,
  startControlPlane,
} from '@shoehorn/gitops-test-kit';
import { FluxCommands, RECONCILE_ANNOTATION } from './FluxCommands';

jest.setTimeout(180_000);

function command(
  type: AgentCommand['type'],
  kind: 'Kustomization' | 'GitRepository',
  name: string,
): AgentCommand {
  return {
    id: `cmd-${Math.random()}`,
    type,
    hard: false,
    resource: { tool: 'fluxcd', kind, namespace: 'flux-system', name },
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
  };
}

/** Answers reconcile requests the way a Flux controller does: echo the annotation in status. */
function fakeReconciler(
  cluster: ClusterObjects,
  ready: { status: string; message: string },
) {
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const [get, set] of [
        [
          () => cluster.getKustomization('flux-system', 'apps'),
          (s: any) => cluster.setKustomizationStatus('flux-system', 'apps', s),
        ],
        [
          () => cluster.getGitRepository('flux-system', 'fleet'),
          (s: any) => cluster.setGitRepositoryStatus('flux-system', 'fleet', s),
        ],
      ] as const) {
        const obj: any = await get();
        const requested = obj.metadata.annotations?.[RECONCILE_ANNOTATION];
        if (requested && obj.status?.lastHandledReconcileAt !== requested) {
          await set({
            lastHandledReconcileAt: requested,
            conditions: [
              {
                type: 'Ready',
                status: ready.status,
                reason: 'Test',
                message: ready.message,
                lastTransitionTime: new Date().toISOString(),
              },
            ],
          });
        }
      }
      await new Promise(r => setTimeout(r, 50));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

describe('FluxCommands on a real kube-apiserver', () => {
  let cp: ControlPlane;
  let cluster: ClusterObjects;

  beforeAll(async () => {
    cp = await startControlPlane({ crds: true });
    cluster = new ClusterObjects(cp.kubeConfig);
    await cluster.namespace('flux-system');
    await cluster.createGitRepository(
      'flux-system',
      'fleet',
      'https://git.example.com/fleet.git',
    );
    await cluster.createKustomization('flux-system', 'apps', 'fleet');
  });

  afterAll(() => cp?.stop());

  it('without Flux controllers, succeeds when the API server accepts the annotation, source first', async () => {
    const flux = new FluxCommands(cp.kubeConfig, 300);
    const before = Date.now();
    const result = await flux.execute(command('sync', 'Kustomization', 'apps'));
    expect(result.status).toBe('succeeded');
    expect(result.message).toContain(
      'Kustomization flux-system/apps reconciled: the API server accepted the reconcile.fluxcd.io/requestedAt annotation; no Flux controller echoed it',
    );
    expect(result.message).toContain(
      'source GitRepository flux-system/fleet: the API server accepted',
    );
    const ks = await cluster.getKustomization('flux-system', 'apps');
    const repo = await cluster.getGitRepository('flux-system', 'fleet');
    const ksAt = Date.parse(ks.metadata.annotations[RECONCILE_ANNOTATION]);
    const repoAt = Date.parse(repo.metadata.annotations[RECONCILE_ANNOTATION]);
    expect(repoAt).toBeGreaterThanOrEqual(before);
    // The source is asked first, as flux reconcile --with-source does.
    expect(ksAt).toBeGreaterThanOrEqual(repoAt);
  });

  it('refresh annotates only the object itself', async () => {
    const flux = new FluxCommands(cp.kubeConfig, 0);
    const repoBefore = (await cluster.getGitRepository('flux-system', 'fleet'))
      .metadata.annotations[RECONCILE_ANNOTATION];
    const result = await flux.execute(
      command('refresh', 'Kustomization', 'apps'),
    );
    expect(result.status).toBe('succeeded');
    expect(result.message).toMatch(
      /^Kustomization flux-system\/apps refreshed: /,
    );
    expect(
      (await cluster.getGitRepository('flux-system', 'fleet')).metadata
        .annotations[RECONCILE_ANNOTATION],
    ).toBe(repoBefore);
  });

  it('succeeds when the controller echoes the request, and fails with its Ready message', async () => {
    let stop = fakeReconciler(cluster, {
      status: 'True',
      message: 'Applied revision: main@sha1:abc',
    });
    const flux = new FluxCommands(cp.kubeConfig, 30_000);
    const ok = await flux.execute(command('sync', 'Kustomization', 'apps'));
    await stop();
    expect(ok).toEqual({
      status: 'succeeded',
      message: expect.stringContaining(
        'reconciled: the controller handled the request (status.lastHandledReconcileAt echoed it) (Ready=True: Applied revision: main@sha1:abc)',
      ),
    });

    stop = fakeReconciler(cluster, {
      status: 'False',
      message: 'kustomization path not found: ./apps/missing',
    });
    const failed = await flux.execute(
      command('refresh', 'Kustomization', 'apps'),
    );
    await stop();
    expect(failed).toEqual({
      status: 'failed',
      message:
        'Kustomization flux-system/apps failed: kustomization path not found: ./apps/missing',
    });
  });

  it('suspend and resume set spec.suspend alone, and name an object that is not there', async () => {
    const flux = new FluxCommands(cp.kubeConfig, 30_000);
    const before = await cluster.getKustomization('flux-system', 'apps');
    const suspended = await flux.execute(
      command('suspend', 'Kustomization', 'apps'),
    );
    expect(suspended).toEqual({
      status: 'succeeded',
      message:
        'Kustomization flux-system/apps suspended: spec.suspend set to true; Flux does not reconcile it until it is resumed',
    });
    const after = await cluster.getKustomization('flux-system', 'apps');
    expect(after.spec).toEqual({ ...before.spec, suspend: true });
    // No reconcile is requested: a suspended object would not answer it.
    expect(after.metadata.annotations?.[RECONCILE_ANNOTATION]).toBe(
      before.metadata.annotations?.[RECONCILE_ANNOTATION],
    );
    expect(
      await flux.execute(command('resume', 'Kustomization', 'apps')),
    ).toMatchObject({ status: 'succeeded' });
    expect(
      (await cluster.getKustomization('flux-system', 'apps')).spec.suspend,
    ).toBe(false);
    expect(
      await flux.execute(command('suspend', 'GitRepository', 'nope')),
    ).toEqual({
      status: 'failed',
      message:
        'Kubernetes API error (HTTP 404): gitrepositories.source.toolkit.fluxcd.io "nope" not found',
    });
  });

  it("reports the API server's own error text", async () => {
    const flux = new FluxCommands(cp.kubeConfig, 0);
    expect(
      await flux.execute(command('sync', 'Kustomization', 'nope')),
    ).toEqual({
      status: 'failed',
      message:
        'Kubernetes API error (HTTP 404): kustomizations.kustomize.toolkit.fluxcd.io "nope" not found',
    });

    // A service account that may read but not patch.
    const rbac = cp.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createClusterRole({
      body: {
        metadata: { name: 'flux-reader' },
        rules: [
          {
            apiGroups: [
              'kustomize.toolkit.fluxcd.io',
              'source.toolkit.fluxcd.io',
            ],
            resources: ['*'],
            verbs: ['get', 'list', 'watch'],
          },
        ],
      },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: 'flux-reader' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'flux-reader',
        },
        subjects: [
          { kind: 'ServiceAccount', name: 'reader', namespace: 'gitops' },
        ],
      },
    });
    const readOnly = new FluxCommands(
      await cp.kubeConfigFor('gitops', 'reader'),
      0,
    );
    const result = await eventually(async () => {
      const r = await readOnly.execute(
        command('refresh', 'GitRepository', 'fleet'),
      );
      expect(r.message).toContain('cannot patch');
      return r;
    });
    expect(result).toEqual({
      status: 'failed',
      message: expect.stringMatching(
        /^Kubernetes API error \(HTTP 403\): gitrepositories.source.toolkit.fluxcd.io "fleet" is forbidden: User "system:serviceaccount:gitops:reader" cannot patch resource "gitrepositories"/,
      ),
    });
  });
});
