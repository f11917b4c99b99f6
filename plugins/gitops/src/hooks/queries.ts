import { useApi } from '@backstage/core-plugin-api';
import {
  stringifyEntityRef,
  type CompoundEntityRef,
} from '@backstage/catalog-model';
import { useMemo, useRef } from 'react';
import {
  changesConcernClusters,
  changesConcernEntity,
  type ClusterView,
  type GitOpsSignal,
} from '@shoehorn/plugin-gitops-common';
import { gitopsApiRef } from '../api/GitOpsApi';
import type { ResourceFilter, ResourceListRequest } from '../api/types';
import { useGitOpsChanges } from './useGitOpsChanges';
import { useRefreshingQuery } from './useRefreshingQuery';

/** Resource changes on any of `clusters` (none given: on any cluster). */
const resourcesOn =
  (clusters?: readonly string[]) =>
  (signal: GitOpsSignal): boolean =>
    signal.type === 'resources' && changesConcernClusters(signal, clusters);

/** Resource changes of the entity's linked resources. */
const resourcesOf =
  (entityRef: string) =>
  (signal: GitOpsSignal): boolean =>
    signal.type === 'resources' && changesConcernEntity(signal, entityRef);

/** One page of resources; reloads on changes announced by the backend for its clusters. */
export function useResourceList(request: ResourceListRequest) {
  const api = useApi(gitopsApiRef);
  const changes = useGitOpsChanges(resourcesOn(request.cluster));
  const key = JSON.stringify(request);
  return useRefreshingQuery(
    () => api.listResources(request),
    [api, key, changes],
  );
}

/** Distinct filter values with counts, fleet-wide. */
export function useFacets(filter: ResourceFilter = {}) {
  const api = useApi(gitopsApiRef);
  const changes = useGitOpsChanges(resourcesOn(filter.cluster));
  const key = JSON.stringify(filter);
  return useRefreshingQuery(() => api.getFacets(filter), [api, key, changes]);
}

/** Fleet totals. */
export function useStats() {
  const api = useApi(gitopsApiRef);
  const changes = useGitOpsChanges(resourcesOn());
  return useRefreshingQuery(() => api.getStats(), [api, changes]);
}

/** Clusters by name, with their agents' capabilities and freshness. */
export function useClusters() {
  const api = useApi(gitopsApiRef);
  const changes = useGitOpsChanges(resourcesOn());
  const query = useRefreshingQuery(() => api.getClusters(), [api, changes]);
  const byName = useMemo(
    () =>
      new Map<string, ClusterView>(
        (query.value?.items ?? []).map(c => [c.name, c]),
      ),
    [query.value],
  );
  return { ...query, byName };
}

/** The resources linked to one catalog entity. */
export function useEntityResources(entity: CompoundEntityRef) {
  const api = useApi(gitopsApiRef);
  const changes = useGitOpsChanges(resourcesOf(stringifyEntityRef(entity)));
  const { kind, namespace, name } = entity;
  return useRefreshingQuery(
    () => api.getEntityResources({ kind, namespace, name }),
    [api, kind, namespace, name, changes],
  );
}

/** The entity's deployment history and delivery metrics; reloads on changes. */
export function useEntityDelivery(entity: CompoundEntityRef) {
  const api = useApi(gitopsApiRef);
  const changes = useGitOpsChanges(resourcesOf(stringifyEntityRef(entity)));
  const { kind, namespace, name } = entity;
  return useRefreshingQuery(async () => {
    const ref = { kind, namespace, name };
    const [deployments, metrics] = await Promise.all([
      api.getEntityDeployments(ref),
      api.getEntityMetrics(ref),
    ]);
    return { deployments: deployments.items, metrics };
  }, [api, kind, namespace, name, changes]);
}

/** One resource with its status history and its recent commands. */
export function useResourceDetail(resourceId: string) {
  const api = useApi(gitopsApiRef);
  // Known once loaded; until then any resource change may concern it.
  const cluster = useRef<string>();
  const changes = useGitOpsChanges(s =>
    s.type === 'resources'
      ? changesConcernClusters(s, cluster.current ? [cluster.current] : [])
      : s.resourceId === resourceId,
  );
  const query = useRefreshingQuery(async () => {
    const [detail, commands] = await Promise.all([
      api.getResource(resourceId),
      api.listCommands(resourceId),
    ]);
    return { detail, commands: commands.items };
  }, [api, resourceId, changes]);
  cluster.current = query.value?.detail.cluster;
  return query;
}
