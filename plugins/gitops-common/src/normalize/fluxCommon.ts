import type { HealthStatus } from '../model';
import { at, findCondition, text } from './objectFields';
import type { FluxSourceLookup } from './types';

/** `spec.suspend: true` (only a real boolean counts, as the API server enforces). */
export function fluxSuspended(obj: unknown): boolean {
  return at(obj, 'spec', 'suspend') === true;
}

/** Health of any Flux object, from suspend and its Stalled and Ready conditions. */
export function fluxHealth(obj: unknown): HealthStatus {
  if (fluxSuspended(obj)) {
    return 'Suspended';
  }
  const conditions = at(obj, 'status', 'conditions');
  if (findCondition(conditions, 'Stalled')?.status === 'True') {
    return 'Degraded';
  }
  switch (findCondition(conditions, 'Ready')?.status) {
    case 'True':
      return 'Healthy';
    case 'False':
      return 'Degraded';
    case 'Unknown':
      return 'Progressing';
    default:
      return 'Unknown';
  }
}

/** The Ready condition's status (`True`, `False`, `Unknown`) or null. */
export function readyStatus(obj: unknown): string | null {
  return text(findCondition(at(obj, 'status', 'conditions'), 'Ready')?.status);
}

/** The Ready condition's message, or null. */
export function readyMessage(obj: unknown): string | null {
  return text(findCondition(at(obj, 'status', 'conditions'), 'Ready')?.message);
}

/**
 * The URL of the source a `sourceRef` names, when known. The reference's namespace
 * defaults to the referring object's.
 */
export function sourceRefUrl(
  sourceRef: unknown,
  referrerNamespace: string,
  sources: FluxSourceLookup | undefined,
): string | null {
  const kind = text(at(sourceRef, 'kind'));
  const name = text(at(sourceRef, 'name'));
  if (!sources || kind === null || name === null) {
    return null;
  }
  const namespace = text(at(sourceRef, 'namespace')) ?? referrerNamespace;
  return text(sources.urlOf(kind, namespace, name));
}
