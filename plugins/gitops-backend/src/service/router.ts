import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { BasicPermission } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  gitopsResourceReadPermission,
  MAX_PUSH_BYTES,
  toStorableJson,
  type CommandType,
} from '@shoehorn/plugin-gitops-common';
import express, { Request, RequestHandler } from 'express';
import Router from 'express-promise-router';
import { CommandQueue } from '../commands/CommandQueue';
import { CommandRequester } from '../commands/CommandRequester';
import { toCommandView } from '../commands/views';
import type { GitOpsDatabase } from '../database/GitOpsDatabase';
import type { StoredGitOpsResource } from '../database/types';
import {
  entitiesOwnedBy,
  entityMetrics,
  parseDeploymentLimit,
} from '../history/historyRoutes';
import type { LinkRequester } from '../linking/LinkRequester';
import { createOpenApiRouter } from '../schema/openapi';
import {
  addAgentRoutes,
  addAgentBodyRoutes,
  agentMiddleware,
} from './agentRoutes';
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
    commands,
    stats,
    clock,
  } = options;
  const tenant = config.userTenant;
  const jsonBody = express.json({ limit: MAX_PUSH_BYTES });
  const agent = agentMiddleware(options);

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

  const openApiRouter = await createOpenApiRouter({ middleware: [jsonBody] });

  // Outside the validated router, whose error handler would turn every error into a 400.
  const router = Router();
  router.use(agent.authenticate);
  router.use(jsonBody);
  router.use(storableInput);
  addAgentBodyRoutes(router, options);

  router.use(openApiRouter);
  router.use(agent.recordRefusedPush);

  openApiRouter.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  addAgentRoutes(openApiRouter, options);

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
