import type { HealthStatus, Readiness, WaitRef } from '../model';
import { at, findCondition, list, text } from './objectFields';
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

/** A reference to another object, its namespace defaulting to the referrer's; null if incomplete. */
function waitRef(
  role: WaitRef['role'],
  kind: string | null,
  ref: unknown,
  referrerNamespace: string,
): WaitRef | null {
  const name = text(at(ref, 'name'));
  if (kind === null || name === null) {
    return null;
  }
  const namespace = text(at(ref, 'namespace')) ?? referrerNamespace;
  return { role, kind, namespace, name };
}

/**
 * What a Kustomization or HelmRelease waits on: its source, then each `spec.dependsOn`
 * entry (always of its own kind).
 */
export function fluxReadiness(
  obj: unknown,
  referrerNamespace: string,
  sourceRef: unknown,
): Readiness {
  const ownKind = text(at(obj, 'kind'));
  const refs = [
    waitRef(
      'source',
      text(at(sourceRef, 'kind')),
      sourceRef,
      referrerNamespace,
    ),
    ...list(at(obj, 'spec', 'dependsOn')).map(dependency =>
      waitRef('dependsOn', ownKind, dependency, referrerNamespace),
    ),
  ];
  return {
    waitsOn: refs.filter((r): r is WaitRef => r !== null).slice(0, 100),
    syncProblem: null,
  };
}

/** A source waits on nothing and has no sync of its own. */
export const NOTHING_AWAITED: Readiness = Object.freeze({
  waitsOn: [],
  syncProblem: null,
}) as Readiness;
