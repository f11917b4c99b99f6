import {
  MAX_AGENT_KIND_REASON_LENGTH,
  type AgentKindStatus,
  type InformedKind,
} from '@shoehorn/plugin-gitops-common';
import type { ResourceInformer } from './ResourceInformer';

type InformerView = Pick<
  ResourceInformer<InformedKind>,
  'unavailable' | 'stale' | 'lastError' | 'version'
> & { kind: Pick<InformedKind, 'kind' | 'group'> };

/**
 * How the agent watches each kind, for the portal: one entry per kind over its informers
 * (one per namespace). Stale when any of them serves objects it can no longer refresh,
 * unavailable when every one finds its CRD missing, serving no version it reads, or (an
 * optional kind) not readable by the agent; watching otherwise, with the API version it chose.
 */
export function kindReport(
  informers: readonly InformerView[],
): AgentKindStatus[] {
  const byKind = new Map<string, InformerView[]>();
  for (const informer of informers) {
    const group = byKind.get(informer.kind.kind) ?? [];
    group.push(informer);
    byKind.set(informer.kind.kind, group);
  }
  return [...byKind.values()].map(group => {
    const { kind, group: apiGroup } = group[0].kind;
    const apiVersion = (version: string | undefined) =>
      version ? `${apiGroup}/${version}` : null;
    const stale = group.find(i => i.stale);
    if (stale) {
      return {
        kind: kind,
        apiVersion: apiVersion(stale.version),
        state: 'stale',
        reason: reasonOf(stale.lastError, 'its last list or watch failed'),
      };
    }
    if (group.every(i => i.unavailable)) {
      return {
        kind: kind,
        apiVersion: null,
        state: 'unavailable',
        reason: reasonOf(group[0].lastError, 'its CRD is not installed'),
      };
    }
    return {
      kind: kind,
      // Null only while its informers still ask which version is served.
      apiVersion: apiVersion(group.find(i => i.version)?.version),
      state: 'watching',
    };
  });
}

// A Kubernetes error body can be longer than the wire accepts.
function reasonOf(error: string | undefined, fallback: string): string {
  return (error ?? fallback).slice(0, MAX_AGENT_KIND_REASON_LENGTH);
}
