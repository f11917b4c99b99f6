import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { BasicPermission } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  commandResultSchema,
  describeSchemaError,
  GITOPS_TOOLS,
  gitopsResourceReadPermission,
  MAX_PUSH_BYTES,
  pushRequestSchema,
  SESSION_SUPERSEDED_ERROR,
  toStorableJson,
  type AgentCommand,
  type CommandType,
  type GitOpsTool,
} from '@shoehorn/plugin-gitops-common';
import express, {
  ErrorRequestHandler,
  Request,
  RequestHandler,
  Response,
} from 'express';
import Router from 'express-promise-router';
import { CommandQueue } from '../commands/CommandQueue';
import { CommandRequester } from '../commands/CommandRequester';
import { toAgentCommand, toCommandView } from '../commands/views';
import type { GitOpsDatabase } from '../database/GitOpsDatabase';
import type { StoredGitOpsResource } from '../database/types';
import {
  entitiesOwnedBy,
  entityMetrics,
  parseDeploymentLimit,
} from '../history/historyRoutes';
import type { LinkRequester } from '../linking/LinkRequester';
import { createOpenApiRouter } from '../schema/openapi';
import { AgentIdentity, authenticateAgent } from './agentIdentity';
import type { GitOpsClock } from './clock';
import type { GitOpsConfig } from './config';
import type { IngestService } from './IngestService';
import { requirePermission } from './permissionChecks';
import { parseResourceFilter, parseResourcePage } from './resourceQueryParams';
import { toClusterViews, toResourceViews } from './resourceViews';
import { rootCausesOf } from './rootCauses';
import { StatsCache } from './StatsCache';

export interface RouterOptions {
  config: GitOpsConfig;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  commandRequester: CommandRequester;
  linkRequester: LinkRequester;
  catalog: CatalogService;
  db: Pick<
    GitOpsDatabase,
    'resources' | 'clusters' | 'deployments' | 'refusals'
  >;
  ingest: IngestService;
  commands: CommandQueue;
  stats: StatsCache;
  clock: GitOpsClock;
}

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

/**
 * Text PostgreSQL cannot store (NUL, lone surrogates) becomes U+FFFD in every body and
 * query string; a NUL in the path, which names a resource, is refused.
 */
const storableInput: RequestHandler = (req, _res, next) => {
  if (/%00/.test(req.path)) {
    next(new InputError('path: must not contain a NUL character (%00)'));
    return;
  }
  req.body = toStorableJson(req.body);
  req.query = toStorableJson(req.query);
  next();
};

function agentOf(res: Response): AgentIdentity {
  return res.locals.gitopsAgent as AgentIdentity;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    config,
    httpAuth,
    permissions,
    commandRequester,
    linkRequester,
    catalog,
    db,
    ingest,
    commands,
    stats,
    clock,
  } = options;
  const tenant = config.userTenant;
  const jsonBody = express.json({ limit: MAX_PUSH_BYTES });

  // Agent routes learn who is calling before the body is read or validated: 401/403 come first.
  const agentAuthentication: RequestHandler = (req, res, next) => {
    if (!isAgentPath(req.path)) {
      next();
      return;
    }
    authenticateAgent(httpAuth, config.agents, req).then(identity => {
      res.locals.gitopsAgent = identity;
      next();
    }, next);
  };

  async function userCredentials(
    req: Request<any, any, any, any>,
    permission: BasicPermission,
  ) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await requirePermission(permissions, credentials, permission);
    return credentials;
  }

  /**
   * Authenticates, then asks the permission backend and runs `read` at the same time (the
   * permission round trip costs as much as the read); the result is returned only on ALLOW.
   */
  async function authorizedRead<T>(
    req: Request<any, any, any, any>,
    permission: BasicPermission,
    read: () => Promise<T>,
  ): Promise<T> {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [, value] = await Promise.all([
      requirePermission(permissions, credentials, permission),
      read(),
    ]);
    return value;
  }

  async function resourceViewOrThrow(id: string) {
    const resource = await db.resources.get(tenant, id);
    if (!resource) {
      throw new NotFoundError(`no GitOps resource ${id}`);
    }
    return resource;
  }

  async function renderResources(resources: StoredGitOpsResource[]) {
    const [clusters, rootCauses] = await Promise.all([
      db.clusters.list(tenant),
      rootCausesOf(db.resources, tenant, resources, clock.now()),
    ]);
    return toResourceViews(resources, clusters, clock.now(), rootCauses);
  }

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

  const openApiRouter = await createOpenApiRouter({ middleware: [jsonBody] });

  // Outside the validated router, whose error handler would turn every error into a 400.
  const router = Router();
  router.use(agentAuthentication);
  router.use(jsonBody);
  router.use(storableInput);

  // Ahead of the validated router: the push body, the largest, is validated once, by zod,
  // whose schema openapi.yaml's PushRequest is generated from.
  router.post(PUSH_PATH, async (req, res) => {
    const identity = agentOf(res);
    const parsed = pushRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      throw new InputError(describeSchemaError(parsed.error));
    }
    const outcome = await ingest.push(identity, parsed.data);
    res.json({ applied: outcome.kind === 'applied' ? outcome.applied : 0 });
  });

  router.use(openApiRouter);
  router.use(recordRefusedPush);

  openApiRouter.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // ---- Agent protocol ----

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

  openApiRouter.post('/agent/v1/commands/:id/result', async (req, res) => {
    const identity = agentOf(res);
    const parsed = commandResultSchema.safeParse(req.body);
    if (!parsed.success) {
      throw new InputError(describeSchemaError(parsed.error));
    }
    // As for a poll: the named tool, else the tools this credential has pushed for.
    const tools = req.query.tool
      ? [req.query.tool as GitOpsTool]
      : await db.clusters.toolsOf(identity);
    const command = await commands.finish(
      identity,
      tools,
      req.params.id,
      parsed.data,
    );
    res.json(toCommandView(command));
  });

  // ---- Portal API ----

  openApiRouter.get('/v1/resources', async (req, res) => {
    await userCredentials(req, gitopsResourceReadPermission);
    const page = await db.resources.list(
      tenant,
      parseResourcePage(req.query as Record<string, unknown>),
    );
    res.json({
      items: await renderResources(page.items),
      totalCount: page.totalCount,
      nextCursor: page.nextCursor,
    });
  });

  openApiRouter.get('/v1/facets', async (req, res) => {
    await userCredentials(req, gitopsResourceReadPermission);
    res.json(
      await db.resources.facets(
        tenant,
        parseResourceFilter(req.query as Record<string, unknown>),
      ),
    );
  });

  openApiRouter.get('/v1/resources/:id', async (req, res) => {
    await userCredentials(req, gitopsResourceReadPermission);
    const resource = await resourceViewOrThrow(req.params.id);
    const [view] = await renderResources([resource]);
    const history = await db.resources.history(tenant, resource.id, 50);
    res.json({ ...view, history });
  });

  openApiRouter.get(
    '/v1/entities/:kind/:namespace/:name/resources',
    async (req, res) => {
      const { kind, namespace, name } = req.params;
      const [resources, clusters, rootCauses] = await authorizedRead(
        req,
        gitopsResourceReadPermission,
        async () => {
          const [linked, all] = await Promise.all([
            db.resources.byEntity(tenant, `${kind}:${namespace}/${name}`),
            db.clusters.list(tenant),
          ]);
          return [
            linked,
            all,
            await rootCausesOf(db.resources, tenant, linked, clock.now()),
          ] as const;
        },
      );
      res.json({
        items: toResourceViews(resources, clusters, clock.now(), rootCauses),
      });
    },
  );

  // ---- Deployment history and delivery metrics ----

  openApiRouter.get('/v1/resources/:id/deployments', async (req, res) => {
    await userCredentials(req, gitopsResourceReadPermission);
    const limit = parseDeploymentLimit(req.query.limit);
    const resource = await resourceViewOrThrow(req.params.id);
    res.json({
      items: await db.deployments.listForResource(tenant, resource.id, limit),
    });
  });

  openApiRouter.get(
    '/v1/entities/:kind/:namespace/:name/deployments',
    async (req, res) => {
      await userCredentials(req, gitopsResourceReadPermission);
      const limit = parseDeploymentLimit(req.query.limit);
      const { kind, namespace, name } = req.params;
      const entityRef = `${kind}:${namespace}/${name}`.toLowerCase();
      res.json({
        items: await db.deployments.listForEntities(tenant, [entityRef], limit),
      });
    },
  );

  openApiRouter.get(
    '/v1/entities/:kind/:namespace/:name/metrics',
    async (req, res) => {
      await userCredentials(req, gitopsResourceReadPermission);
      const { kind, namespace, name } = req.params;
      res.json(
        await entityMetrics(db.deployments, {
          tenant,
          entityRefs: [`${kind}:${namespace}/${name}`.toLowerCase()],
          failureWindowMs: config.failureWindowMs,
          now: clock.now(),
        }),
      );
    },
  );

  openApiRouter.get('/v1/groups/:namespace/:name/metrics', async (req, res) => {
    const credentials = await userCredentials(
      req,
      gitopsResourceReadPermission,
    );
    const { namespace, name } = req.params;
    const groupRef = `group:${namespace}/${name}`.toLowerCase();
    const entityRefs = await entitiesOwnedBy(catalog, groupRef, credentials);
    const metrics = await entityMetrics(db.deployments, {
      tenant,
      entityRefs,
      failureWindowMs: config.failureWindowMs,
      now: clock.now(),
    });
    res.json({ groupRef, entityRefs, ...metrics });
  });

  openApiRouter.post('/v1/resources/:id/link', async (req, res) => {
    const updated = await linkRequester.link({
      resourceId: req.params.id,
      entityRef: req.body.entityRef,
      authenticate: () => httpAuth.credentials(req, { allow: ['user'] }),
      httpRequest: req,
    });
    const [view] = await renderResources([updated]);
    res.json(view);
  });

  openApiRouter.delete('/v1/resources/:id/link', async (req, res) => {
    const updated = await linkRequester.unlink({
      resourceId: req.params.id,
      authenticate: () => httpAuth.credentials(req, { allow: ['user'] }),
      httpRequest: req,
    });
    const [view] = await renderResources([updated]);
    res.json(view);
  });

  openApiRouter.get('/v1/stats', async (req, res) => {
    await userCredentials(req, gitopsResourceReadPermission);
    res.json(await stats.get(tenant));
  });

  openApiRouter.get('/v1/clusters', async (req, res) => {
    await userCredentials(req, gitopsResourceReadPermission);
    const now = clock.now();
    const [agents, refusals] = await Promise.all([
      db.clusters.list(tenant),
      db.refusals.list(tenant),
    ]);
    res.json({ items: toClusterViews(agents, now, refusals) });
  });

  // ---- Commands ----

  openApiRouter.post('/v1/resources/:id/commands', async (req, res) => {
    const type = req.body.type as CommandType;
    const { command, created } = await commandRequester.request({
      resourceId: req.params.id,
      type,
      hard: type === 'refresh' && req.body.hard === true,
      authenticate: () => httpAuth.credentials(req, { allow: ['user'] }),
      httpRequest: req,
    });
    res.status(created ? 201 : 200).json(toCommandView(command));
  });

  openApiRouter.get('/v1/resources/:id/commands', async (req, res) => {
    await userCredentials(req, gitopsResourceReadPermission);
    const resource = await resourceViewOrThrow(req.params.id);
    const items = await commands.listForResource(tenant, resource.id);
    res.json({ items: items.map(toCommandView) });
  });

  openApiRouter.get('/v1/commands/:id', async (req, res) => {
    await userCredentials(req, gitopsResourceReadPermission);
    res.json(toCommandView(await commands.get(tenant, req.params.id)));
  });

  return router;
}
