import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type {
  ActionsRegistryActionOptions,
  ActionsRegistryService,
} from '@backstage/backend-plugin-api/alpha';
import { InputError } from '@backstage/errors';
import {
  CLUSTER_STATES,
  COMMAND_STATUSES,
  COMMAND_TYPES,
  GITOPS_KINDS,
  GITOPS_TOOLS,
  HEALTH_STATUSES,
  LINK_STATUSES,
  RESOURCE_SORT_FIELDS,
  ROOT_CAUSE_REASONS,
  SYNC_STATUSES,
  gitopsResourceReadPermission,
  type CommandType,
} from '@shoehorn/plugin-gitops-common';
import type { CommandRequester } from '../commands/CommandRequester';
import { toCommandView } from '../commands/views';
import type { GitOpsDatabase } from '../database/GitOpsDatabase';
import type { StoredGitOpsResource } from '../database/types';
import { toEntityRef } from '../linking/EntityIndex';
import type { GitOpsClock } from '../service/clock';
import { requirePermission } from '../service/permissionChecks';
import { toResourceViews } from '../service/resourceViews';
import { rootCausesOf } from '../service/rootCauses';
import { toCommandStatus, toResourceStatus } from './resourceStatus';

/** The zod the actions registry hands to schema builders (its own copy, not ours). */
type Zod = Parameters<
  ActionsRegistryActionOptions<any, any>['schema']['input']
>[0];

/** What an MCP client learns about one GitOps resource. */
function resourceStatusSchema(z: Zod) {
  return z.object({
    id: z
      .string()
      .describe(
        'Opaque id of the resource; pass it to request-sync or request-refresh',
      ),
    tool: z.enum(GITOPS_TOOLS).describe('The GitOps tool managing it'),
    kind: z.enum(GITOPS_KINDS).describe('Kubernetes kind of the GitOps object'),
    cluster: z.string().describe('Cluster the object lives in'),
    clusterState: z
      .enum(CLUSTER_STATES)
      .describe(
        "Freshness of the cluster's agent; data of a disconnected cluster may be out of date",
      ),
    namespace: z.string(),
    name: z.string(),
    syncStatus: z
      .enum(SYNC_STATUSES)
      .describe('Whether the live state matches the desired state in Git'),
    healthStatus: z.enum(HEALTH_STATUSES),
    revision: z
      .string()
      .nullable()
      .describe(
        'The revision currently applied (commit, tag or chart version)',
      ),
    targetRevision: z
      .string()
      .nullable()
      .describe('The revision the tool wants to apply'),
    source: z
      .object({
        url: z.string().nullable(),
        path: z.string().nullable(),
        chart: z.string().nullable(),
      })
      .describe('Git repository (and path or Helm chart) the object deploys'),
    autoSync: z.boolean(),
    suspended: z.boolean(),
    lastSyncedAt: z
      .string()
      .nullable()
      .describe('RFC 3339 time of the last successful sync'),
    drift: z
      .object({ detected: z.boolean(), reason: z.string().nullable() })
      .describe(
        'Drift: ArgoCD OutOfSync, or a Flux reconciliation stuck on another revision',
      ),
    message: z
      .string()
      .nullable()
      .describe('The most useful status or error message the tool reported'),
    rootCause: z
      .object({
        reason: z
          .enum(ROOT_CAUSE_REASONS)
          .describe(
            'suspended, a source or dependsOn entry not ready (Flux), or a failed operation, sync error or sync window (ArgoCD)',
          ),
        kind: z.enum(GITOPS_KINDS).describe('Kind of the blocking object'),
        namespace: z.string(),
        name: z.string(),
        message: z
          .string()
          .nullable()
          .describe("The blocking object's own status message"),
        summary: z
          .string()
          .describe(
            'One line for people, e.g. "Blocked by: GitRepository flux-system/fleet-infra — authentication failed"',
          ),
      })
      .nullable()
      .describe(
        'Why it is not syncing: the object at the end of its chain of sources and dependencies (possibly itself); null when nothing known blocks it',
      ),
    linkedEntityRef: z
      .string()
      .nullable()
      .describe('The catalog entity the resource is linked to'),
    linkStatus: z
      .enum(LINK_STATUSES)
      .describe('How the link was made (annotation, name, manual) or why not'),
  });
}

/** A command in the ledger, as an MCP client sees it. */
function commandSchema(z: Zod) {
  return z.object({
    id: z.string().describe('Command id'),
    resourceId: z.string(),
    type: z.enum(COMMAND_TYPES),
    hard: z.boolean().describe('A hard refresh (ArgoCD)'),
    status: z
      .enum(COMMAND_STATUSES)
      .describe(
        "queued until the cluster's agent picks it up (within 30 s), then delivered, then succeeded, failed or expired",
      ),
    alreadyPending: z
      .boolean()
      .describe(
        'True when an identical command was already pending and is returned instead of a new one',
      ),
    requestedBy: z.string(),
    requestedAt: z.string(),
    message: z.string().nullable().describe("The agent's result message"),
  });
}

const DEFAULT_LIST_LIMIT = 25;
const MAX_LIST_LIMIT = 100;

function entityRefOrThrow(field: string, value: string): string {
  const ref = toEntityRef(value);
  if (!ref) {
    throw new InputError(
      `${field}: ${JSON.stringify(
        value,
      )} is not an entity ref (kind:namespace/name)`,
    );
  }
  return ref;
}

/**
 * Registers the GitOps actions that MCP clients (through the actions registry) call.
 * Reads check the same read permission as the portal API; Sync and Refresh go through
 * the portal route's own request path, as the calling user.
 */
export function registerGitOpsActions(deps: {
  actionsRegistry: ActionsRegistryService;
  permissions: PermissionsService;
  db: Pick<GitOpsDatabase, 'resources' | 'clusters'>;
  commandRequester: CommandRequester;
  clock: GitOpsClock;
  tenant: string;
}) {
  const { actionsRegistry, permissions, db, commandRequester, clock } = deps;
  const tenant = deps.tenant;

  async function statuses(resources: StoredGitOpsResource[]) {
    const [clusters, rootCauses] = await Promise.all([
      db.clusters.list(tenant),
      rootCausesOf(db.resources, tenant, resources, clock.now()),
    ]);
    return toResourceViews(resources, clusters, clock.now(), rootCauses).map(
      toResourceStatus,
    );
  }

  const canRead = (credentials: BackstageCredentials) =>
    requirePermission(permissions, credentials, gitopsResourceReadPermission);

  actionsRegistry.register({
    name: 'get-entity-status',
    title: 'Get the GitOps status of a catalog entity',
    description:
      'Lists the GitOps resources (ArgoCD Applications, Flux Kustomizations, HelmReleases and their sources) linked to a catalog entity, each with its cluster, sync status, health status, applied and target revision, source repository, last sync time, drift, status message and root cause (what blocks it from syncing).',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .describe(
              'The catalog entity, e.g. component:default/checkout-api; kind defaults to component and namespace to default',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string().describe('The entity ref, normalized'),
          resources: z
            .array(resourceStatusSchema(z))
            .describe('Linked GitOps resources; empty when none are linked'),
        }),
    },
    action: async ({ input, credentials }) => {
      await canRead(credentials);
      const entityRef = entityRefOrThrow('entityRef', input.entityRef);
      const resources = await db.resources.byEntity(tenant, entityRef);
      return { output: { entityRef, resources: await statuses(resources) } };
    },
  });

  actionsRegistry.register({
    name: 'list-resources',
    title: 'List GitOps resources across clusters',
    description:
      "Lists GitOps resources of the whole fleet with the GitOps page's filters (tool, cluster, namespace, sync status, health status, link status, entity, text, drift), sorted and paged. Values of one filter are ORed, filters are ANDed.",
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          tool: z.array(z.enum(GITOPS_TOOLS)).optional(),
          cluster: z.array(z.string().min(1)).optional(),
          namespace: z.array(z.string().min(1)).optional(),
          syncStatus: z.array(z.enum(SYNC_STATUSES)).optional(),
          healthStatus: z
            .array(z.enum(HEALTH_STATUSES))
            .optional()
            .describe('e.g. ["Degraded"] for failing resources'),
          linked: z
            .array(z.enum(LINK_STATUSES))
            .optional()
            .describe('How resources are linked to the catalog'),
          entityRef: z
            .array(z.string().min(1))
            .optional()
            .describe('Only resources linked to these entities'),
          q: z
            .string()
            .optional()
            .describe('Substring of the name, namespace or source URL'),
          drift: z
            .boolean()
            .optional()
            .describe('Only resources with (true) or without (false) drift'),
          sort: z
            .enum(RESOURCE_SORT_FIELDS)
            .optional()
            .describe('Default: name'),
          descending: z.boolean().optional(),
          limit: z
            .number()
            .int()
            .min(1)
            .max(MAX_LIST_LIMIT)
            .optional()
            .describe(`Page size, default ${DEFAULT_LIST_LIMIT}`),
          cursor: z
            .string()
            .optional()
            .describe('nextCursor of the previous page'),
        }),
      output: z =>
        z.object({
          items: z.array(resourceStatusSchema(z)),
          totalCount: z.number().describe('Matching resources in all pages'),
          nextCursor: z
            .string()
            .nullable()
            .describe('Pass as cursor for the next page; null on the last'),
        }),
    },
    action: async ({ input, credentials }) => {
      await canRead(credentials);
      const { sort, descending, limit, cursor, ...filter } = input;
      const page = await db.resources.list(tenant, {
        filter: {
          ...filter,
          entityRef: filter.entityRef?.map(ref =>
            entityRefOrThrow('entityRef', ref),
          ),
        },
        sort: { field: sort ?? 'name', descending: descending ?? false },
        limit: limit ?? DEFAULT_LIST_LIMIT,
        cursor,
      });
      return {
        output: {
          items: await statuses(page.items),
          totalCount: page.totalCount,
          nextCursor: page.nextCursor,
        },
      };
    },
  });

  const registerCommand = (type: CommandType, description: string) =>
    actionsRegistry.register({
      name: `request-${type}`,
      title: type === 'sync' ? 'Request a GitOps Sync' : 'Request a Refresh',
      description,
      attributes: { destructive: true, idempotent: true, readOnly: false },
      schema: {
        input: z =>
          z.object({
            resourceId: z
              .string()
              .min(1)
              .describe(
                'id of the resource, from get-entity-status or list-resources',
              ),
            ...(type === 'refresh'
              ? {
                  hard: z
                    .boolean()
                    .optional()
                    .describe(
                      'ArgoCD hard refresh (regenerates manifests); default false',
                    ),
                }
              : {}),
          }),
        output: z => z.object({ command: commandSchema(z) }),
      },
      action: async ({ input, credentials }) => {
        const { command, created } = await commandRequester.request({
          resourceId: input.resourceId,
          type,
          hard:
            type === 'refresh' && (input as { hard?: boolean }).hard === true,
          authenticate: async () => credentials,
        });
        return {
          output: { command: toCommandStatus(toCommandView(command), created) },
        };
      },
    });

  registerCommand(
    'sync',
    "Queues a Sync of an ArgoCD Application, Flux Kustomization or HelmRelease, as the calling user and under the same permission as the portal's Sync button. The cluster's agent runs it within 30 seconds. Idempotent: while an identical command is pending, that one is returned.",
  );
  registerCommand(
    'refresh',
    "Queues a Refresh (the tool re-reads the resource's state), as the calling user and under the same permission as the portal's Refresh button. Idempotent: while an identical command is pending, that one is returned.",
  );
}
