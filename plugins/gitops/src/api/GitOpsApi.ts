import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  ClusterView,
  DeliveryMetricsResponse,
  DeploymentListResponse,
  GroupDeliveryMetricsResponse,
  GitOpsCommandView,
  GitOpsResourceDetail,
  GitOpsResourceView,
  GitOpsStats,
  ResourceFacets,
  ResourceListResponse,
} from '@shoehorn/plugin-gitops-common';
import type {
  CommandRequest,
  ResourceFilter,
  ResourceListRequest,
} from './types';

/** The portal API of the gitops backend plugin. @public */
export interface GitOpsApi {
  listResources(request: ResourceListRequest): Promise<ResourceListResponse>;
  getFacets(filter: ResourceFilter): Promise<ResourceFacets>;
  getResource(id: string): Promise<GitOpsResourceDetail>;
  getEntityResources(
    entity: CompoundEntityRef,
  ): Promise<{ items: GitOpsResourceView[] }>;
  linkResource(id: string, entityRef: string): Promise<GitOpsResourceView>;
  unlinkResource(id: string): Promise<GitOpsResourceView>;
  getStats(): Promise<GitOpsStats>;
  getClusters(): Promise<{ items: ClusterView[] }>;
  createCommand(
    resourceId: string,
    request: CommandRequest,
  ): Promise<GitOpsCommandView>;
  listCommands(resourceId: string): Promise<{ items: GitOpsCommandView[] }>;
  getCommand(id: string): Promise<GitOpsCommandView>;
  /** Deployments of the resources linked to the entity when they started, newest first. */
  getEntityDeployments(
    entity: CompoundEntityRef,
    limit?: number,
  ): Promise<DeploymentListResponse>;
  getEntityMetrics(entity: CompoundEntityRef): Promise<DeliveryMetricsResponse>;
  /** Metrics of the entities the group owns. */
  getGroupMetrics(
    group: Omit<CompoundEntityRef, 'kind'>,
  ): Promise<GroupDeliveryMetricsResponse>;
}

/** @public */
export const gitopsApiRef = createApiRef<GitOpsApi>({
  id: 'plugin.gitops.service',
});
