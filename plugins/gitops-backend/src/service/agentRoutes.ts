import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  commandResultSchema,
  describeSchemaError,
  GITOPS_TOOLS,
  pushRequestSchema,
  SESSION_SUPERSEDED_ERROR,
  type AgentCommand,
  type GitOpsTool,
} from '@shoehorn/plugin-gitops-common';
import type {
  ErrorRequestHandler,
  RequestHandler,
  Response,
  Router,
} from 'express';
import { z } from 'zod';
import type { CommandQueue } from '../commands/CommandQueue';
import { toAgentCommand, toCommandView } from '../commands/views';
import type { GitOpsDatabase } from '../database/GitOpsDatabase';
import type { createOpenApiRouter } from '../schema/openapi';
import { AgentIdentity, authenticateAgent } from './agentIdentity';
import type { GitOpsClock } from './clock';
import type { GitOpsConfig } from './config';
import type { IngestService } from './IngestService';

/** The agent protocol's routes: push, command polls and command results. */
export interface AgentRoutesOptions {
  config: GitOpsConfig;
  httpAuth: HttpAuthService;
  db: Pick<GitOpsDatabase, 'clusters' | 'refusals'>;
  ingest: IngestService;
  commands: CommandQueue;
  clock: GitOpsClock;
}

type OpenApiRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;

const PUSH_PATH = '/agent/v1/push';

/** Express routes case-insensitively, so the agent-only gate must compare the same way. */
function isAgentPath(path: string): boolean {
  return path.toLowerCase().startsWith('/agent/');
}

/** The status Backstage's error handler answers for an error. */
function statusOf(error: any): number {
  const status = Number(error?.status ?? error?.statusCode);
  if (status >= 400 && status < 600) {
    return status;
  }
  return (
    {
      InputError: 400,
      AuthenticationError: 401,
      NotAllowedError: 403,
      NotFoundError: 404,
      ConflictError: 409,
    }[String(error?.name)] ?? 500
  );
}

function agentOf(res: Response): AgentIdentity {
  return res.locals.gitopsAgent as AgentIdentity;
}

/** Who is calling an agent route, and what a refused push leaves behind. */
export function agentMiddleware(options: AgentRoutesOptions) {
  const { config, httpAuth, db, clock } = options;

  // Agent routes learn who is calling before the body is read or validated: 401/403 come first.
  const authenticate: RequestHandler = (req, res, next) => {
    if (!isAgentPath(req.path)) {
      next();
      return;
    }
    authenticateAgent(httpAuth, config.agents, req).then(identity => {
      res.locals.gitopsAgent = identity;
      next();
    }, next);
  };

  /**
   * The tool a refused push was for: as its body names it, else the only tool this
   * credential pushes for; null when neither tells (an unreadable body, a shared credential).
   */
  const refusedPushTool = async (
    identity: AgentIdentity,
    body: unknown,
  ): Promise<GitOpsTool | null> => {
    const named = (body as { agent?: { tool?: unknown } } | undefined)?.agent
      ?.tool;
    if ((GITOPS_TOOLS as readonly unknown[]).includes(named)) {
      return named as GitOpsTool;
    }
    const tools = await db.clusters.toolsOf(identity);
    return tools.length === 1 ? tools[0] : null;
  };

  // A refused push is remembered per cluster and tool, so the portal shows an agent stuck retrying.
  const recordRefusedPush: ErrorRequestHandler = (error, req, res, next) => {
    const identity = res.locals.gitopsAgent as AgentIdentity | undefined;
    // A superseded session's push is expected (an old leader); its cluster is not failing.
    if (
      !identity ||
      req.path.toLowerCase() !== PUSH_PATH ||
      error?.name === SESSION_SUPERSEDED_ERROR
    ) {
      next(error);
      return;
    }
    refusedPushTool(identity, req.body)
      .then(tool =>
        db.refusals.record(identity, {
          tool,
          status: statusOf(error),
          message: String(error?.message ?? error),
          refusedAt: clock.now(),
        }),
      )
      .then(
        () => next(error),
        () => next(error),
      );
  };

  return { authenticate, recordRefusedPush };
}

/** The tool an agent names in `?tool=`, checked by zod as the bodies are. */
const toolQuerySchema = z.object({ tool: z.enum(GITOPS_TOOLS).optional() });

/** The agent routes with a body, mounted ahead of the validated router (see inside). */
export function addAgentBodyRoutes(
  router: Router,
  { ingest, db, commands }: AgentRoutesOptions,
) {
  // Ahead of the validated router: each body is validated once, by the zod schema that
  // openapi.yaml's component is generated from, and a 400 names the failing field.
  router.post(PUSH_PATH, async (req, res) => {
    const identity = agentOf(res);
    const body = parseOrThrow(pushRequestSchema, req.body);
    const outcome = await ingest.push(identity, body);
    res.json({ applied: outcome.kind === 'applied' ? outcome.applied : 0 });
  });

  router.post('/agent/v1/commands/:id/result', async (req, res) => {
    const identity = agentOf(res);
    const { tool } = parseOrThrow(toolQuerySchema, req.query);
    const body = parseOrThrow(commandResultSchema, req.body);
    // As for a poll: the named tool, else the tools this credential has pushed for.
    const tools = tool ? [tool] : await db.clusters.toolsOf(identity);
    const command = await commands.finish(identity, tools, req.params.id, body);
    res.json(toCommandView(command));
  });
}

function parseOrThrow<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new InputError(describeSchemaError(parsed.error));
  }
  return parsed.data;
}

export function addAgentRoutes(
  openApiRouter: OpenApiRouter,
  { db, commands, clock }: AgentRoutesOptions,
) {
  openApiRouter.get('/agent/v1/commands', async (req, res) => {
    const identity = agentOf(res);
    const waitSeconds = Number(req.query.wait ?? 0);
    // An agent names its tool, so two agents of one cluster each get only their own commands.
    const tools = req.query.tool
      ? [req.query.tool as GitOpsTool]
      : await db.clusters.toolsOf(identity);
    for (const tool of tools) {
      db.clusters.seen(identity, tool, clock.now());
    }
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const claimed = await commands.poll(
      identity,
      tools,
      waitSeconds * 1000,
      gone.signal,
    );
    const items: AgentCommand[] = claimed.map(toAgentCommand);
    res.json({ items });
  });
}
