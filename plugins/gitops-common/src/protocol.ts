import { z } from 'zod';
import {
  AGENT_WATCHED_KINDS,
  GITOPS_TOOLS,
  gitOpsResourceSchema,
  resourceKeySchema,
} from './model';

/** Largest accepted push body, in bytes. @public */
export const MAX_PUSH_BYTES = 10 * 1024 * 1024;

/**
 * Default bounds of split-snapshot staging (config `gitops.push.maxSnapshotParts` and
 * `gitops.push.maxStagedBytes`): the byte bound holds the part bound's worth of full bodies.
 * @public
 */
export const DEFAULT_MAX_SNAPSHOT_PARTS = 25;
/** @public */
export const DEFAULT_MAX_STAGED_BYTES = 256 * 1024 * 1024;

/**
 * The error name of a push refused because a newer session of the same cluster and tool
 * began (409): the agent starts a new session with a snapshot.
 * @public
 */
export const SESSION_SUPERSEDED_ERROR = 'SessionSupersededError';

/** Heartbeat ages after which a cluster is stale or disconnected. @public */
export const CLUSTER_STALE_AFTER_MS = 5 * 60 * 1000;
/** @public */
export const CLUSTER_DISCONNECTED_AFTER_MS = 15 * 60 * 1000;
/** An idle agent sends an empty delta at least this often. @public */
export const AGENT_HEARTBEAT_INTERVAL_MS = 60 * 1000;

/** Command types an agent can run; Suspend and Resume set `spec.suspend` of a Flux object. @public */
export const COMMAND_TYPES = ['sync', 'refresh', 'suspend', 'resume'] as const;
/** @public */
export type CommandType = (typeof COMMAND_TYPES)[number];

/** Lifecycle of a command: queued → delivered → succeeded | failed | expired. @public */
export const COMMAND_STATUSES = [
  'queued',
  'delivered',
  'succeeded',
  'failed',
  'expired',
] as const;
/** @public */
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

/** @public */
export const agentCapabilitiesSchema = z
  .object({
    sync: z.boolean(),
    refresh: z.boolean(),
    suspend: z
      .boolean()
      .optional()
      .describe(
        'Suspend and Resume; absent from agents older than them, read as false.',
      ),
  })
  .strict();
/** @public */
export type AgentCapabilities = z.infer<typeof agentCapabilitiesSchema>;

/**
 * How an agent watches one kind: `watching`, `stale` (its watch keeps failing, so stored
 * objects of the kind may be out of date) or `unavailable` (e.g. its CRD is not installed).
 * @public
 */
export const AGENT_KIND_STATES = ['watching', 'stale', 'unavailable'] as const;
/** @public */
export type AgentKindState = (typeof AGENT_KIND_STATES)[number];

/** Longest accepted reason of an agent's kind state. @public */
export const MAX_AGENT_KIND_REASON_LENGTH = 1000;

/** One kind as an agent watches it. @public */
export const agentKindStatusSchema = z
  .object({
    kind: z.enum(AGENT_WATCHED_KINDS),
    apiVersion: z
      .string()
      .min(1)
      .max(200)
      .nullable()
      .describe('The served API version watched, or null when none is served.'),
    state: z.enum(AGENT_KIND_STATES),
    reason: z.string().max(MAX_AGENT_KIND_REASON_LENGTH).optional(),
  })
  .strict();
/** @public */
export type AgentKindStatus = z.infer<typeof agentKindStatusSchema>;

/** At most one entry per kind, so the list stays bounded by {@link AGENT_WATCHED_KINDS}. */
const agentKindsSchema = z
  .array(agentKindStatusSchema)
  .max(AGENT_WATCHED_KINDS.length)
  .superRefine((kinds, ctx) => {
    const seen = new Set<string>();
    kinds.forEach((entry, i) => {
      if (seen.has(entry.kind)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [i, 'kind'],
          message: `kind ${entry.kind} is listed more than once`,
        });
      }
      seen.add(entry.kind);
    });
  });

/** @public */
export const agentInfoSchema = z
  .object({
    version: z.string().min(1),
    session: z
      .string()
      .min(1)
      .max(200)
      .describe('One id per agent process (a UUID); seq increases within it.'),
    tool: z.enum(GITOPS_TOOLS),
    capabilities: agentCapabilitiesSchema,
    kinds: agentKindsSchema
      .optional()
      .describe(
        'How the agent watches each kind, at most one entry per kind. Absent from older agents: nothing is then known to be stale. Objects of a kind reported stale are shown as possibly out of date.',
      ),
  })
  .strict();
/** @public */
export type AgentInfo = z.infer<typeof agentInfoSchema>;

/** Body of `POST /api/gitops/agent/v1/push`. @public */
export const pushRequestSchema = z
  .object({
    agent: agentInfoSchema,
    // Capped where a JavaScript number stays exact, which also keeps it in a bigint column.
    seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    type: z.enum(['snapshot', 'delta']),
    part: z.number().int().positive().optional(),
    parts: z.number().int().positive().optional(),
    upserts: z.array(gitOpsResourceSchema),
    deletes: z.array(resourceKeySchema),
  })
  .strict()
  .superRefine((push, ctx) => {
    if ((push.part === undefined) !== (push.parts === undefined)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [push.part === undefined ? 'part' : 'parts'],
        message: 'part and parts must be given together',
      });
    } else if (push.part !== undefined && push.parts !== undefined) {
      if (push.type !== 'snapshot') {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['part'],
          message: 'only a snapshot may be split in parts',
        });
      }
      if (push.part > push.parts) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['part'],
          message: 'part must not exceed parts',
        });
      }
    }
    push.upserts.forEach((r, i) => {
      if (r.tool !== push.agent.tool) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['upserts', i, 'tool'],
          message: `tool must match agent.tool (${push.agent.tool})`,
        });
      }
    });
  })
  .describe(
    'snapshot: the complete set of this cluster and tool; stored resources absent from it are removed. A snapshot may be split into parts 1..parts sharing one seq; the parts are applied together when the last one arrives. delta: upserts and deletes only. A push whose seq is not newer than the last one applied for the session is acknowledged with applied 0 and ignored. Every push is a heartbeat.',
  );
/** @public */
export type PushRequest = z.infer<typeof pushRequestSchema>;

/** Answer to a push. @public */
export interface PushResponse {
  /** Number of upserts and deletes applied (0 for an ignored replay or a pending part). */
  applied: number;
}

/** A command as delivered to an agent. @public */
export interface AgentCommand {
  id: string;
  type: CommandType;
  /** ArgoCD hard refresh. */
  hard: boolean;
  resource: z.infer<typeof resourceKeySchema>;
  /** RFC 3339 instant after which the command is no longer wanted. */
  expiresAt: string;
}

/** Body of `POST /api/gitops/agent/v1/commands/{id}/result`. @public */
export const commandResultSchema = z
  .object({
    status: z.enum(['succeeded', 'failed']),
    message: z.string().max(10_000),
  })
  .strict();
/** @public */
export type CommandResult = z.infer<typeof commandResultSchema>;

/** Formats a zod error as `path: message` lines naming the failing fields. @public */
export function describeSchemaError(error: z.ZodError): string {
  return error.issues
    .map(
      issue =>
        `${issue.path.length ? issue.path.join('.') : '(root)'}: ${
          issue.message
        }`,
    )
    .join('; ');
}
