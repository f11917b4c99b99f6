import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  METRIC_WINDOW_DAYS,
  type DeliveryMetricsResponse,
} from '@shoehorn/plugin-gitops-common';
import type { DeploymentStore } from './DeploymentStore';
import { computeDeliveryMetrics, DAY_MS } from './metrics';

export const DEFAULT_DEPLOYMENT_LIMIT = 100;
export const MAX_DEPLOYMENT_LIMIT = 1000;

/** The `limit` query parameter of the deployment lists. */
export function parseDeploymentLimit(value: unknown): number {
  if (value === undefined) {
    return DEFAULT_DEPLOYMENT_LIMIT;
  }
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DEPLOYMENT_LIMIT) {
    throw new InputError(
      `limit: must be an integer from 1 to ${MAX_DEPLOYMENT_LIMIT}, got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return limit;
}

/** Metrics of the entities over every window, read from the longest one. */
export async function entityMetrics(
  deployments: DeploymentStore,
  options: {
    tenant: string;
    entityRefs: string[];
    failureWindowMs: number;
    now: number;
  },
): Promise<DeliveryMetricsResponse> {
  const { tenant, entityRefs, failureWindowMs, now } = options;
  const longest = Math.max(...METRIC_WINDOW_DAYS);
  const facts = await deployments.metricFacts(
    tenant,
    entityRefs,
    now - longest * DAY_MS,
  );
  return computeDeliveryMetrics({ ...facts, failureWindowMs, now });
}

/** The entities a group owns, as refs in the form links are stored in. */
export async function entitiesOwnedBy(
  catalog: CatalogService,
  groupRef: string,
  credentials: BackstageCredentials,
): Promise<string[]> {
  const { items } = await catalog.getEntities(
    {
      filter: { 'relations.ownedBy': groupRef },
      fields: ['kind', 'metadata.namespace', 'metadata.name'],
    },
    { credentials },
  );
  return items.map(e => stringifyEntityRef(e).toLowerCase());
}
