/*
 * ArgoCD Application objects as `kubectl get applications -o yaml` prints them,
 * written from argoproj.io/v1alpha1 types (ApplicationSpec, ApplicationStatus).
 */

const SHA_OLD = '3d2f1a7c9b8e4d6f0a1b2c3d4e5f60718293a4b5';
const SHA_NEW = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';

/** A single-source app in the control-plane namespace, synced and healthy. */
export function syncedApplication(): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'checkout-api',
      namespace: 'argocd',
      uid: '5b0e9f7c-1d2a-4c3b-8e4f-6a7b8c9d0e1f',
      resourceVersion: '184467',
      generation: 42,
      creationTimestamp: '2024-03-11T09:14:02Z',
      annotations: { 'shoehorn.dev/entity': 'checkout-api' },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: 'payments',
      source: {
        repoURL: 'https://github.com/acme/deploy.git',
        path: 'apps/checkout-api/overlays/prod',
        targetRevision: 'main',
      },
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: 'checkout',
      },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true'],
      },
    },
    status: {
      sync: {
        status: 'Synced',
        revision: SHA_NEW,
        comparedTo: {
          source: {
            repoURL: 'https://github.com/acme/deploy.git',
            path: 'apps/checkout-api/overlays/prod',
            targetRevision: 'main',
          },
          destination: {
            server: 'https://kubernetes.default.svc',
            namespace: 'checkout',
          },
        },
      },
      health: { status: 'Healthy', lastTransitionTime: '2024-05-01T10:01:12Z' },
      history: [
        {
          id: 6,
          revision: SHA_OLD,
          deployStartedAt: '2024-04-29T16:20:00Z',
          deployedAt: '2024-04-29T16:20:31Z',
          source: {
            repoURL: 'https://github.com/acme/deploy.git',
            path: 'apps/checkout-api/overlays/prod',
            targetRevision: 'main',
          },
          initiatedBy: { automated: true },
        },
        {
          id: 7,
          revision: SHA_NEW,
          deployStartedAt: '2024-05-01T10:00:00Z',
          deployedAt: '2024-05-01T10:00:41Z',
          source: {
            repoURL: 'https://github.com/acme/deploy.git',
            path: 'apps/checkout-api/overlays/prod',
            targetRevision: 'main',
          },
          initiatedBy: { automated: true },
        },
      ],
      operationState: {
        operation: {
          sync: {
            revision: SHA_NEW,
            prune: true,
            syncOptions: ['CreateNamespace=true'],
          },
          initiatedBy: { automated: true },
          retry: { limit: 5 },
        },
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        startedAt: '2024-05-01T10:00:00Z',
        finishedAt: '2024-05-01T10:00:41Z',
        syncResult: {
          revision: SHA_NEW,
          source: {
            repoURL: 'https://github.com/acme/deploy.git',
            path: 'apps/checkout-api/overlays/prod',
            targetRevision: 'main',
          },
          resources: [
            {
              group: 'apps',
              version: 'v1',
              kind: 'Deployment',
              namespace: 'checkout',
              name: 'checkout-api',
              status: 'Synced',
              message: 'deployment.apps/checkout-api configured',
              hookPhase: 'Running',
              syncPhase: 'Sync',
            },
          ],
        },
      },
      reconciledAt: '2024-05-01T10:03:00Z',
      sourceType: 'Kustomize',
      summary: { images: ['ghcr.io/acme/checkout-api:1.14.2'] },
      controllerNamespace: 'argocd',
    },
  };
}

export const ARGO_SHAS = { SHA_OLD, SHA_NEW };

/** A multi-source app: a Helm chart from a chart repository plus values from Git. */
export function multiSourceApplication(): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'podinfo',
      namespace: 'team-web',
      uid: 'c2d6a1f0-7b44-4f1e-9a51-2e0d7c3b9a11',
    },
    spec: {
      project: 'web',
      sources: [
        {
          repoURL: 'https://stefanprodan.github.io/podinfo',
          chart: 'podinfo',
          targetRevision: '6.5.4',
          helm: { valueFiles: ['$values/podinfo/values-prod.yaml'] },
        },
        {
          repoURL: 'https://github.com/acme/helm-values.git',
          targetRevision: 'main',
          ref: 'values',
        },
      ],
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: 'podinfo',
      },
      syncPolicy: {
        automated: { prune: false, selfHeal: false, enabled: true },
      },
    },
    status: {
      sync: {
        status: 'OutOfSync',
        revisions: ['6.5.4', SHA_NEW],
        comparedTo: {
          destination: {
            server: 'https://kubernetes.default.svc',
            namespace: 'podinfo',
          },
        },
      },
      health: {
        status: 'Progressing',
        message:
          'Waiting for rollout to finish: 1 old replicas are pending termination...',
      },
      history: [
        {
          id: 3,
          revisions: ['6.5.3', SHA_OLD],
          deployStartedAt: '2024-04-20T08:00:00Z',
          deployedAt: '2024-04-20T08:00:12Z',
          sources: [
            {
              repoURL: 'https://stefanprodan.github.io/podinfo',
              chart: 'podinfo',
              targetRevision: '6.5.3',
            },
            {
              repoURL: 'https://github.com/acme/helm-values.git',
              targetRevision: 'main',
              ref: 'values',
            },
          ],
        },
      ],
      operationState: {
        operation: { sync: { revisions: ['6.5.4', SHA_NEW] } },
        phase: 'Running',
        message: 'waiting for healthy state of apps/Deployment/podinfo',
        startedAt: '2024-05-02T12:00:00Z',
        syncResult: { revisions: ['6.5.4', SHA_NEW] },
      },
      sourceTypes: ['Helm', 'Directory'],
    },
  };
}

/** A source-hydrator app (ArgoCD 2.14+), outside the control-plane namespace. */
export function hydratorApplication(): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'guestbook',
      namespace: 'team-guestbook',
      uid: '0a9e6b2d-54c7-4a8e-b3f6-1c2d3e4f5a6b',
    },
    spec: {
      project: 'guestbook',
      sourceHydrator: {
        drySource: {
          repoURL: 'https://github.com/argoproj/argocd-example-apps',
          path: 'helm-guestbook',
          targetRevision: 'HEAD',
        },
        syncSource: {
          targetBranch: 'environments/dev',
          path: 'helm-guestbook',
        },
        hydrateTo: { targetBranch: 'environments/dev-next' },
      },
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: 'guestbook',
      },
    },
    status: {
      health: { status: 'Missing' },
      sync: { status: 'OutOfSync', comparedTo: { destination: {} } },
      sourceHydrator: {
        currentOperation: {
          phase: 'Hydrating',
          drySHA: SHA_NEW,
          startedAt: '2024-05-02T12:00:00Z',
        },
      },
    },
  };
}

/** The AppProject `payments` of {@link syncedApplication}, with the given sync windows. */
export function appProject(syncWindows: unknown[], name = 'payments'): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name, namespace: 'argocd', uid: `uid-project-${name}` },
    spec: {
      sourceRepos: ['*'],
      destinations: [{ server: '*', namespace: '*' }],
      syncWindows,
    },
  };
}
