import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { GitOpsBackendMissingError } from '../lib/errors';
import type {
  DeliveryMetricsResponse,
  DeploymentListResponse,
  GroupDeliveryMetricsResponse,
  ClusterView,
  GitOpsCommandView,
  GitOpsResourceDetail,
  GitOpsResourceView,
  GitOpsStats,
  ResourceFacets,
  ResourceListResponse,
} from '@shoehorn/plugin-gitops-common';
import { RESOURCE_FILTER_LIST_FIELDS } from '@shoehorn/plugin-gitops-common';
import type { GitOpsApi } from './GitOpsApi';
import type {
  CommandRequest,
  ResourceFilter,
  ResourceListRequest,
} from './types';

/**
 * Query string of a filter; repeated parameters for multiple values.
 * @public
 */
export function filterQuery(filter: ResourceFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of RESOURCE_FILTER_LIST_FIELDS) {
    for (const value of filter[key] ?? []) {
      params.append(key, value);
    }
  }
  if (filter.q) {
    params.set('q', filter.q);
  }
  if (filter.revision) {
    params.set('revision', filter.revision);
  }
  if (filter.drift !== undefined) {
    params.set('drift', String(filter.drift));
  }
  return params;
}

function entityPath(entity: CompoundEntityRef): string {
  return [entity.kind, entity.namespace, entity.name]
    .map(encodeURIComponent)
    .join('/');
}

/** Talks to `/api/gitops/v1` with the signed-in user's credentials. @public */
export class GitOpsClient implements GitOpsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listResources(
    request: ResourceListRequest,
  ): Promise<ResourceListResponse> {
    const params = filterQuery(request);
    if (request.limit !== undefined) {
      params.set('limit', String(request.limit));
    }
    if (request.cursor) {
      params.set('cursor', request.cursor);
    }
    if (request.sort) {
      params.set('sort', request.sort);
    }
    return this.request(`/v1/resources?${params}`);
  }

  async getFacets(filter: ResourceFilter): Promise<ResourceFacets> {
    return this.request(`/v1/facets?${filterQuery(filter)}`);
  }

  async getResource(id: string): Promise<GitOpsResourceDetail> {
    return this.request(`/v1/resources/${encodeURIComponent(id)}`);
  }

  async getEntityResources(
    entity: CompoundEntityRef,
  ): Promise<{ items: GitOpsResourceView[] }> {
    return this.request(`/v1/entities/${entityPath(entity)}/resources`);
  }

  async linkResource(
    id: string,
    entityRef: string,
  ): Promise<GitOpsResourceView> {
    return this.request(`/v1/resources/${encodeURIComponent(id)}/link`, {
      method: 'POST',
      body: { entityRef },
    });
  }

  async unlinkResource(id: string): Promise<GitOpsResourceView> {
    return this.request(`/v1/resources/${encodeURIComponent(id)}/link`, {
      method: 'DELETE',
    });
  }

  async getStats(): Promise<GitOpsStats> {
    return this.request('/v1/stats');
  }

  async getClusters(): Promise<{ items: ClusterView[] }> {
    return this.request('/v1/clusters');
  }

  async createCommand(
    resourceId: string,
    request: CommandRequest,
  ): Promise<GitOpsCommandView> {
    return this.request(
      `/v1/resources/${encodeURIComponent(resourceId)}/commands`,
      { method: 'POST', body: request },
    );
  }

  async listCommands(
    resourceId: string,
  ): Promise<{ items: GitOpsCommandView[] }> {
    return this.request(
      `/v1/resources/${encodeURIComponent(resourceId)}/commands`,
    );
  }

  async getCommand(id: string): Promise<GitOpsCommandView> {
    return this.request(`/v1/commands/${encodeURIComponent(id)}`);
  }

  async getEntityDeployments(
    entity: CompoundEntityRef,
    limit = 100,
  ): Promise<DeploymentListResponse> {
    return this.request(
      `/v1/entities/${entityPath(entity)}/deployments?limit=${limit}`,
    );
  }

  async getEntityMetrics(
    entity: CompoundEntityRef,
  ): Promise<DeliveryMetricsResponse> {
    return this.request(`/v1/entities/${entityPath(entity)}/metrics`);
  }

  async getGroupMetrics(
    group: Omit<CompoundEntityRef, 'kind'>,
  ): Promise<GroupDeliveryMetricsResponse> {
    const path = [group.namespace, group.name]
      .map(encodeURIComponent)
      .join('/');
    return this.request(`/v1/groups/${path}/metrics`);
  }

  private async request<T>(
    path: string,
    options: { method?: string; body?: unknown } = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('gitops');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method: options.method ?? 'GET',
      headers:
        options.body === undefined
          ? undefined
          : { 'Content-Type': 'application/json' },
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    if (
      response.status === 404 ||
      // An app that serves its page for unknown paths answers HTML, not JSON.
      (response.ok &&
        /text\/html/.test(response.headers.get('content-type') ?? ''))
    ) {
      await this.assertBackendInstalled(baseUrl);
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  /** A 404 of a mounted backend names a missing record; without one, the health check 404s too. */
  private async assertBackendInstalled(baseUrl: string): Promise<void> {
    const health = await this.fetchApi
      .fetch(`${baseUrl}/health`)
      .catch(() => undefined);
    const json = /json/.test(health?.headers.get('content-type') ?? '');
    if (!health || health.status === 404 || (health.ok && !json)) {
      throw new GitOpsBackendMissingError(baseUrl);
    }
  }
}
