import { normalizeArgoApplication } from './argoApplication';
import { normalizeFluxGitRepository } from './fluxGitRepository';
import { normalizeFluxHelmRelease } from './fluxHelmRelease';
import { normalizeFluxHelmRepository } from './fluxHelmRepository';
import { normalizeFluxOciRepository } from './fluxOciRepository';
import { normalizeFluxKustomization } from './fluxKustomization';
import { at, isRecord } from './objectFields';
import type {
  ArgoProjectLookup,
  FluxSourceLookup,
  NormalizeResult,
} from './types';
import {
  ARGO_APP_PROJECT_KIND,
  splitApiVersion,
  watchedKindOf,
} from './watchedKinds';

/**
 * Normalizes any raw Kubernetes object: a record for a watched GitOps kind, or a
 * rejection saying why not. Never throws, whatever the input.
 * @param sources - known Flux sources, to resolve `sourceRef` URLs
 * @param projects - known ArgoCD AppProjects, for the sync windows of Applications
 * @public
 */
export function normalizeObject(
  obj: unknown,
  sources?: FluxSourceLookup,
  projects?: ArgoProjectLookup,
): NormalizeResult {
  try {
    if (!isRecord(obj)) {
      return { ok: false, reason: 'not a Kubernetes object' };
    }
    const apiVersion = at(obj, 'apiVersion');
    const kind = at(obj, 'kind');
    if (typeof apiVersion !== 'string' || apiVersion === '') {
      return { ok: false, reason: 'apiVersion is missing or empty' };
    }
    if (typeof kind !== 'string' || kind === '') {
      return { ok: false, reason: 'kind is missing or empty' };
    }
    switch (watchedKindOf(apiVersion, kind)?.kind) {
      case 'Application':
        return normalizeArgoApplication(obj, projects);
      case 'Kustomization':
        return normalizeFluxKustomization(obj, sources);
      case 'HelmRelease':
        return normalizeFluxHelmRelease(obj, sources);
      case 'GitRepository':
        return normalizeFluxGitRepository(obj);
      case 'OCIRepository':
        return normalizeFluxOciRepository(obj);
      case 'HelmRepository':
        return normalizeFluxHelmRepository(obj);
      default:
        return {
          ok: false,
          reason:
            kind === ARGO_APP_PROJECT_KIND.kind &&
            splitApiVersion(apiVersion).group === ARGO_APP_PROJECT_KIND.group
              ? 'an AppProject is read for the sync windows of its Applications, not a record of its own'
              : 'not a watched GitOps kind',
        };
    }
  } catch {
    return { ok: false, reason: 'unreadable object' };
  }
}
