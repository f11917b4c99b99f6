import {
  gitOpsResourceSchema,
  type GitOpsResource,
  type Readiness,
} from '../model';
import { describeSchemaError } from '../protocol';
import { toStorableResource } from '../storableText';
import { at, isRecord } from './objectFields';
import { readRecordIdentity, type RecordIdentity } from './objectMeta';
import type { NormalizeResult } from './types';
import {
  WATCHED_KINDS,
  acceptsVersion,
  type WatchedKind,
} from './watchedKinds';

/** The fields a kind's mapping decides; identity and tool/kind are filled in here. */
export type MappedFields = Omit<
  GitOpsResource,
  | 'tool'
  | 'kind'
  | 'namespace'
  | 'name'
  | 'uid'
  | 'entityAnnotation'
  | 'readiness'
> & { readiness: Readiness };

export function watched(kind: WatchedKind['kind']): WatchedKind {
  return WATCHED_KINDS.find(w => w.kind === kind)!;
}

function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}

/**
 * Checks that a raw object is of the watched kind, maps it, makes its text storable
 * (see storableText.ts), and validates the result against the wire schema. Never throws: hostile input (throwing getters, proxies)
 * becomes a rejection.
 */
export function buildRecord(
  kind: WatchedKind,
  obj: unknown,
  map: (identity: RecordIdentity) => MappedFields,
): NormalizeResult {
  try {
    if (!isRecord(obj)) {
      return { ok: false, reason: 'not a Kubernetes object' };
    }
    const apiVersion = at(obj, 'apiVersion');
    if (at(obj, 'kind') !== kind.kind) {
      return { ok: false, reason: `kind is not ${kind.kind}` };
    }
    if (typeof apiVersion !== 'string' || !acceptsVersion(kind, apiVersion)) {
      const supported = kind.versions.map(v => `${kind.group}/${v}`).join(', ');
      return {
        ok: false,
        reason: `unsupported apiVersion ${JSON.stringify(
          apiVersion ?? null,
        )} for ${kind.kind} (supported: ${supported})`,
      };
    }
    const identity = readRecordIdentity(obj);
    if (typeof identity === 'string') {
      return { ok: false, reason: identity };
    }
    const mapped = map(identity);
    const record: GitOpsResource = {
      tool: kind.tool,
      kind: kind.kind,
      namespace: identity.namespace,
      name: identity.name,
      uid: identity.uid,
      syncStatus: mapped.syncStatus,
      healthStatus: mapped.healthStatus,
      source: mapped.source,
      revision: mapped.revision,
      targetRevision: mapped.targetRevision,
      autoSync: mapped.autoSync,
      suspended: mapped.suspended,
      lastSyncedAt: mapped.lastSyncedAt,
      drift: mapped.drift,
      entityAnnotation: identity.entityAnnotation,
      message: mapped.message,
      readiness: mapped.readiness,
    };
    const storable = toStorableResource(record);
    const checked = gitOpsResourceSchema.safeParse(storable);
    if (!checked.success) {
      return {
        ok: false,
        reason: `record breaks the wire schema: ${describeSchemaError(
          checked.error,
        )}`,
      };
    }
    return { ok: true, resource: storable };
  } catch (error) {
    return { ok: false, reason: `unreadable object: ${errorText(error)}` };
  }
}
