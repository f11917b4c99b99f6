import { z } from 'zod';
import { isRfc3339Instant } from './rfc3339';

/** GitOps tools the agent watches. @public */
export const GITOPS_TOOLS = ['argocd', 'fluxcd'] as const;
/** @public */
export type GitOpsTool = (typeof GITOPS_TOOLS)[number];

/** Kinds of watched resources. @public */
export const GITOPS_KINDS = [
  'Application',
  'Kustomization',
  'HelmRelease',
  'GitRepository',
  'OCIRepository',
  'HelmRepository',
] as const;
/** @public */
export type GitOpsKind = (typeof GITOPS_KINDS)[number];

/**
 * Kinds an agent watches only for what they tell about records of other kinds: an ArgoCD
 * AppProject's sync windows, carried by its Applications. Never a record of their own.
 * @public
 */
export const CONTEXT_KINDS = ['AppProject'] as const;
/** @public */
export type ContextKind = (typeof CONTEXT_KINDS)[number];

/** Every kind an agent may watch, and report how it watches. @public */
export const AGENT_WATCHED_KINDS = [...GITOPS_KINDS, ...CONTEXT_KINDS] as const;
/** @public */
export type AgentWatchedKind = (typeof AGENT_WATCHED_KINDS)[number];

/** @public */
export const SYNC_STATUSES = ['Synced', 'OutOfSync', 'Unknown'] as const;
/** @public */
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** @public */
export const HEALTH_STATUSES = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
] as const;
/** @public */
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** How a resource came to be linked to a catalog entity. @public */
export const LINK_STATUSES = [
  'annotation',
  'name',
  'manual',
  'unlinked',
  'ambiguous',
] as const;
/** @public */
export type LinkStatus = (typeof LINK_STATUSES)[number];

/** Freshness of a cluster, from the time of its agent's last heartbeat. @public */
export const CLUSTER_STATES = ['connected', 'stale', 'disconnected'] as const;
/** @public */
export type ClusterState = (typeof CLUSTER_STATES)[number];

/** The annotation that links a GitOps resource to a catalog entity. @public */
export const ENTITY_ANNOTATION = 'shoehorn.dev/entity';

/**
 * Entity annotation that, set to `disabled`, stops GitOps notifications to the entity's
 * owners (Degraded, OutOfSync for long, cluster disconnected). @public
 */
export const NOTIFICATIONS_ANNOTATION = 'shoehorn.dev/gitops-notifications';

const nullableString = z.string().nullable();

/** How a Flux object waits on another: its source, or an entry of `spec.dependsOn`. @public */
export const WAIT_ROLES = ['source', 'dependsOn'] as const;
/** @public */
export type WaitRole = (typeof WAIT_ROLES)[number];

/** Why the tool itself says an object cannot sync (ArgoCD). @public */
export const SYNC_PROBLEM_REASONS = [
  'operationFailed',
  'syncError',
  'syncWindow',
] as const;
/** @public */
export type SyncProblemReason = (typeof SYNC_PROBLEM_REASONS)[number];

/** Whether an ArgoCD sync window lets syncs run or holds them while it is open. @public */
export const SYNC_WINDOW_KINDS = ['allow', 'deny'] as const;
/** @public */
export type SyncWindowKind = (typeof SYNC_WINDOW_KINDS)[number];

/** Most sync windows carried on one record; a project rarely has more than a handful. @public */
export const MAX_SYNC_WINDOWS = 50;

/**
 * One sync window of an Application's AppProject that applies to the Application, as ArgoCD
 * defines it: it opens at each time of a 5-field cron `schedule` (in `timeZone`) and stays
 * open for `duration` (a Go duration such as `1h30m`).
 * @public
 */
export const syncWindowSchema = z
  .object({
    kind: z.enum(SYNC_WINDOW_KINDS),
    schedule: z.string().min(1).max(200),
    duration: z.string().min(1).max(50),
    timeZone: z
      .string()
      .min(1)
      .max(100)
      .describe('IANA zone of the schedule; UTC when the project names none.'),
    manualSync: z
      .boolean()
      .describe(
        'Manual syncs may run when this window would otherwise block them.',
      ),
  })
  .strict()
  .describe(
    "A sync window of the Application's AppProject that applies to it (ArgoCD): it opens at each time of the 5-field cron schedule, read in timeZone, for duration (a Go duration).",
  );
/** @public */
export type SyncWindow = z.infer<typeof syncWindowSchema>;

/** What an object needs before it can apply, read from the object and its AppProject. @public */
export const readinessSchema = z
  .object({
    waitsOn: z
      .array(
        z
          .object({
            role: z.enum(WAIT_ROLES),
            kind: z.string().min(1),
            namespace: z.string().min(1),
            name: z.string().min(1),
          })
          .strict()
          .describe(
            "An object another one waits on (Flux); its namespace defaulted to the referrer's.",
          ),
      )
      .max(100)
      .describe('Its Flux source first, then each spec.dependsOn entry.'),
    syncProblem: z
      .object({
        reason: z.enum(SYNC_PROBLEM_REASONS),
        message: nullableString,
      })
      .strict()
      .describe("The tool's own reason it cannot sync (ArgoCD).")
      .nullable(),
    syncWindows: z
      .array(syncWindowSchema)
      .max(MAX_SYNC_WINDOWS)
      .optional()
      .describe(
        "The sync windows of the Application's AppProject that match it (ArgoCD). Absent when the agent cannot read AppProjects, or is older. The root cause evaluates them at the time of reading.",
      ),
  })
  .strict()
  .describe(
    'What an object needs before it can apply, read from the object and its AppProject.',
  );
/** @public */
export type Readiness = z.infer<typeof readinessSchema>;
/** @public */
export type WaitRef = Readiness['waitsOn'][number];

/** Runtime schema of the normalized resource: the agent wire format. @public */
export const gitOpsResourceSchema = z
  .object({
    tool: z.enum(GITOPS_TOOLS),
    kind: z.enum(GITOPS_KINDS),
    namespace: z.string().min(1),
    name: z.string().min(1),
    uid: z.string(),
    syncStatus: z.enum(SYNC_STATUSES),
    healthStatus: z.enum(HEALTH_STATUSES),
    source: z
      .object({
        url: nullableString,
        path: nullableString,
        chart: nullableString,
      })
      .strict(),
    revision: nullableString,
    targetRevision: nullableString,
    autoSync: z.boolean(),
    suspended: z.boolean(),
    lastSyncedAt: z
      .string()
      .datetime({ offset: true })
      .refine(isRfc3339Instant, { message: 'must be an RFC 3339 instant' })
      .nullable()
      .describe('RFC 3339 instant.'),
    drift: z
      .object({ detected: z.boolean(), reason: nullableString })
      .strict()
      .refine(d => d.detected === (d.reason !== null && d.reason !== ''), {
        message:
          'reason must be a non-empty string exactly when detected is true',
        path: ['reason'],
      })
      .describe('reason is a non-empty string exactly when detected is true.'),
    entityAnnotation: nullableString,
    message: nullableString,
    readiness: readinessSchema
      .optional()
      .describe(
        'Absent from agents older than the root-cause chain: read as nothing waited on.',
      ),
  })
  .strict()
  .describe(
    'The normalized resource (agent wire format). Absent values are null.',
  );

/** The normalized GitOps resource: one watched object. @public */
export type GitOpsResource = z.infer<typeof gitOpsResourceSchema>;

/** Identifies a resource within one cluster. @public */
export const resourceKeySchema = z
  .object({
    tool: z.enum(GITOPS_TOOLS),
    kind: z.enum(GITOPS_KINDS),
    namespace: z.string().min(1),
    name: z.string().min(1),
  })
  .strict();

/** @public */
export type GitOpsResourceKey = z.infer<typeof resourceKeySchema>;

/** A stable string key of a resource within one cluster. @public */
export function resourceKeyString(key: GitOpsResourceKey): string {
  return `${key.tool}/${key.kind}/${key.namespace}/${key.name}`;
}
