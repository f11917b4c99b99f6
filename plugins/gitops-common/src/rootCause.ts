import type {
  GitOpsKind,
  GitOpsResource,
  GitOpsResourceKey,
  WaitRef,
} from './model';
import { GITOPS_KINDS } from './model';
import { ROOT_CAUSE_LABELS } from './labels';
import { blockingSyncWindow, describeSyncWindowBlock } from './syncWindows';

/** Why a resource does not reach its desired state, at the end of its chain. @public */
export const ROOT_CAUSE_REASONS = [
  'suspended',
  'sourceNotReady',
  'dependencyNotReady',
  'operationFailed',
  'syncError',
  'syncWindow',
] as const;
/** @public */
export type RootCauseReason = (typeof ROOT_CAUSE_REASONS)[number];

/** The object that blocks a resource, and why: the resource itself or one it waits on. @public */
export interface RootCause {
  reason: RootCauseReason;
  kind: GitOpsKind;
  namespace: string;
  name: string;
  /** The blocking object's own message (its Ready condition, the sync error), or null. */
  message: string | null;
}

/** Finds a stored resource of the same cluster by key. @public */
export type ResourceLookup = (
  key: GitOpsResourceKey,
) => GitOpsResource | undefined;

/** A chain longer than this is cut: Flux refuses deeper dependsOn trees in practice. */
const MAX_CHAIN_DEPTH = 8;

/** The stored key a wait reference names, or undefined for a kind no agent reports. */
function waitRefKey(ref: WaitRef): GitOpsResourceKey | undefined {
  return (GITOPS_KINDS as readonly string[]).includes(ref.kind)
    ? {
        tool: 'fluxcd',
        kind: ref.kind as GitOpsKind,
        namespace: ref.namespace,
        name: ref.name,
      }
    : undefined;
}

/** The keys a resource waits on directly, known kinds only. @public */
export function waitedOnKeys(resource: GitOpsResource): GitOpsResourceKey[] {
  return (resource.readiness?.waitsOn ?? []).flatMap(ref => {
    const key = waitRefKey(ref);
    return key ? [key] : [];
  });
}

/** A source blocks once it fails; Flux applies the last artifact while one is fetched. */
function blocksAs(role: WaitRef['role'], target: GitOpsResource): boolean {
  if (role === 'source') {
    return target.healthStatus === 'Degraded' || target.suspended;
  }
  // Flux reconciles a dependant only once every dependsOn entry is Ready=True.
  return target.healthStatus !== 'Healthy';
}

function own(
  resource: GitOpsResource,
  reason: RootCauseReason,
  message: string | null,
): RootCause {
  return {
    reason,
    kind: resource.kind,
    namespace: resource.namespace,
    name: resource.name,
    message,
  };
}

/**
 * A sync window of the app's project holding the sync it needs: an automated one, or a
 * manual one when the app does not sync itself. An app in sync waits for nothing.
 */
function syncWindowCause(
  resource: GitOpsResource,
  now: number,
): RootCause | null {
  const windows = resource.readiness?.syncWindows;
  if (!windows?.length || resource.syncStatus === 'Synced') {
    return null;
  }
  const block = blockingSyncWindow(windows, now, !resource.autoSync);
  return block
    ? own(resource, 'syncWindow', describeSyncWindowBlock(block, now))
    : null;
}

function resolve(
  resource: GitOpsResource,
  lookup: ResourceLookup,
  seen: Set<string>,
  now: number,
): RootCause | null {
  if (resource.tool === 'fluxcd' && resource.suspended) {
    return own(resource, 'suspended', null);
  }
  const problem = resource.readiness?.syncProblem;
  if (problem) {
    return own(resource, problem.reason, problem.message);
  }
  const window = syncWindowCause(resource, now);
  if (window) {
    return window;
  }
  if (seen.size >= MAX_CHAIN_DEPTH) {
    return null;
  }
  for (const ref of resource.readiness?.waitsOn ?? []) {
    const key = waitRefKey(ref);
    const target = key && lookup(key);
    const id = key && JSON.stringify(key);
    if (!target || !id || seen.has(id) || !blocksAs(ref.role, target)) {
      continue;
    }
    const deeper = resolve(target, lookup, new Set([...seen, id]), now);
    return (
      deeper ??
      own(
        target,
        ref.role === 'source' ? 'sourceNotReady' : 'dependencyNotReady',
        target.message,
      )
    );
  }
  return null;
}

/**
 * The root cause of a resource: it is suspended or its tool reports a sync problem; else a
 * sync window of its ArgoCD project holds its sync at `now`; else the first object it
 * waits on that is not ready, followed down its own chain; else null (nothing known blocks
 * it). Sources and dependencies unknown to the lookup are passed over: the portal cannot
 * say anything about them.
 * @param now - the time of reading (epoch ms): sync windows open and close without any push
 * @public
 */
export function resolveRootCause(
  resource: GitOpsResource,
  lookup: ResourceLookup,
  now: number,
): RootCause | null {
  return resolve(
    resource,
    lookup,
    new Set([
      JSON.stringify({
        tool: resource.tool,
        kind: resource.kind,
        namespace: resource.namespace,
        name: resource.name,
      }),
    ]),
    now,
  );
}

/** The one-line text after "Blocked by: ". @public */
export function describeRootCause(cause: RootCause): string {
  const object = `${cause.kind} ${cause.namespace}/${cause.name}`;
  const detail = cause.message ?? ROOT_CAUSE_LABELS[cause.reason];
  return `${object} — ${detail}`;
}
