import type { GitOpsResource } from '@shoehorn/plugin-gitops-common';

/** A valid normalized ArgoCD Application record for tests. */
export function record(
  name: string,
  revision = 'r1',
  namespace = 'argocd',
): GitOpsResource {
  return {
    tool: 'argocd',
    kind: 'Application',
    namespace,
    name,
    uid: `uid-${name}`,
    syncStatus: 'Synced',
    healthStatus: 'Healthy',
    source: { url: 'https://git.example.com/x.git', path: null, chart: null },
    revision,
    targetRevision: revision,
    autoSync: false,
    suspended: false,
    lastSyncedAt: null,
    drift: { detected: false, reason: null },
    entityAnnotation: null,
    message: null,
  };
}
