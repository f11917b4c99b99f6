import type { CompoundEntityRef } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  ClusterView,
  DeliveryMetricsResponse,
  DeploymentView,
  GroupDeliveryMetricsResponse,
  FacetCount,
  GitOpsCommandView,
  GitOpsResourceDetail,
  GitOpsResourceView,
  GitOpsStats,
  ResourceFacets,
  ResourceListResponse,
} from '@shoehorn/plugin-gitops-common';
import { revisionSearchForms } from '@shoehorn/plugin-gitops-common';
import type { GitOpsApi } from '../api/GitOpsApi';
import type {
  CommandRequest,
  ResourceFilter,
  ResourceListRequest,
} from '../api/types';

/** The backend's revision filter: the shared forms, matched as its SQL does. */
function revisionMatches(revision: string | null, query: string): boolean {
  const stored = revision?.toLowerCase() ?? '';
  const forms = revisionSearchForms(query);
  return (
    stored === forms.equals ||
    forms.startsWith.some(p => stored.startsWith(p)) ||
    forms.contains.some(p => stored.includes(p))
  );
}

/**
 * An in-memory stand-in for the gitops backend with the API's semantics (filters
 * ORed per field, sorting, cursor paging, manual links, commands), for component
 * tests. It records every request so tests can assert what the UI asked for.
 */
export class InMemoryGitOpsApi implements GitOpsApi {
  readonly requests: Array<{ method: keyof GitOpsApi; args: unknown[] }> = [];
  private resources: GitOpsResourceView[];
  private readonly clusters: ClusterView[];
  private readonly commands: GitOpsCommandView[] = [];
  /** Error answered to createCommand, as the backend's 409/403 would. */
  commandError?: Error;
  /** Deployments by entity ref, newest first, as the backend answers them. */
  deployments = new Map<string, DeploymentView[]>();
  /** Metrics by entity ref. */
  metrics = new Map<string, DeliveryMetricsResponse>();
  /** Metrics by group ref. */
  groupMetrics = new Map<string, GroupDeliveryMetricsResponse>();

  constructor(resources: GitOpsResourceView[], clusters: ClusterView[] = []) {
    this.resources = resources.map(r => ({ ...r }));
    this.clusters = clusters;
  }

  private record(method: keyof GitOpsApi, ...args: unknown[]) {
    this.requests.push({ method, args });
  }

  private matching(filter: ResourceFilter): GitOpsResourceView[] {
    const inList = <T>(values: T[] | undefined, value: T) =>
      !values || values.length === 0 || values.includes(value);
    const q = filter.q?.toLowerCase();
    return this.resources.filter(
      r =>
        inList(filter.tool, r.tool) &&
        inList(filter.cluster, r.cluster) &&
        inList(filter.namespace, r.namespace) &&
        inList(filter.syncStatus, r.syncStatus) &&
        inList(filter.healthStatus, r.healthStatus) &&
        inList(filter.linked, r.link.status) &&
        inList(filter.entityRef, r.link.entityRef ?? '') &&
        (filter.drift === undefined || r.drift.detected === filter.drift) &&
        (!filter.revision || revisionMatches(r.revision, filter.revision)) &&
        (!q ||
          [r.name, r.namespace, r.source.url ?? ''].some(s =>
            s.toLowerCase().includes(q),
          )),
    );
  }

  async listResources(
    request: ResourceListRequest,
  ): Promise<ResourceListResponse> {
    this.record('listResources', request);
    const sort = request.sort ?? 'name';
    const field = sort.replace(/^-/, '') as keyof GitOpsResourceView;
    const sign = sort.startsWith('-') ? -1 : 1;
    const all = this.matching(request)
      .slice()
      .sort(
        (a, b) =>
          sign * String(a[field] ?? '').localeCompare(String(b[field] ?? '')) ||
          a.id.localeCompare(b.id),
      );
    const offset = request.cursor ? Number(request.cursor) : 0;
    const limit = request.limit ?? 50;
    const items = all.slice(offset, offset + limit);
    return {
      items,
      totalCount: all.length,
      nextCursor: offset + limit < all.length ? String(offset + limit) : null,
    };
  }

  async getFacets(filter: ResourceFilter): Promise<ResourceFacets> {
    this.record('getFacets', filter);
    const rows = this.matching(filter);
    const count = (pick: (r: GitOpsResourceView) => string): FacetCount[] => {
      const counts = new Map<string, number>();
      rows.forEach(r => counts.set(pick(r), (counts.get(pick(r)) ?? 0) + 1));
      return [...counts].map(([value, n]) => ({ value, count: n }));
    };
    return {
      tool: count(r => r.tool),
      cluster: count(r => r.cluster),
      namespace: count(r => r.namespace),
      syncStatus: count(r => r.syncStatus),
      healthStatus: count(r => r.healthStatus),
      linkStatus: count(r => r.link.status),
    };
  }

  async getResource(id: string): Promise<GitOpsResourceDetail> {
    this.record('getResource', id);
    const r = this.find(id);
    return {
      ...r,
      history: [
        {
          at: r.observedAt,
          syncStatus: r.syncStatus,
          healthStatus: r.healthStatus,
          revision: r.revision,
        },
      ],
    };
  }

  async getEntityDeployments(entity: CompoundEntityRef, limit = 100) {
    this.record('getEntityDeployments', entity, limit);
    const ref = stringifyEntityRef(entity);
    return { items: (this.deployments.get(ref) ?? []).slice(0, limit) };
  }

  async getEntityMetrics(entity: CompoundEntityRef) {
    this.record('getEntityMetrics', entity);
    return (
      this.metrics.get(stringifyEntityRef(entity)) ?? {
        computedAt: new Date(0).toISOString(),
        failureWindowMs: 3_600_000,
        windows: [],
        daily: [],
      }
    );
  }

  async getGroupMetrics(group: Omit<CompoundEntityRef, 'kind'>) {
    this.record('getGroupMetrics', group);
    const groupRef = stringifyEntityRef({ kind: 'group', ...group });
    return (
      this.groupMetrics.get(groupRef) ?? {
        ...(await this.getEntityMetrics({ kind: 'group', ...group })),
        groupRef,
        entityRefs: [],
      }
    );
  }

  async getEntityResources(entity: CompoundEntityRef) {
    this.record('getEntityResources', entity);
    const ref = stringifyEntityRef(entity);
    return { items: this.resources.filter(r => r.link.entityRef === ref) };
  }

  async linkResource(id: string, entityRef: string) {
    this.record('linkResource', id, entityRef);
    return this.update(id, {
      link: { status: 'manual', entityRef, candidates: [] },
    });
  }

  async unlinkResource(id: string) {
    this.record('unlinkResource', id);
    return this.update(id, {
      link: { status: 'unlinked', entityRef: null, candidates: [] },
    });
  }

  async getStats(): Promise<GitOpsStats> {
    this.record('getStats');
    const rs = this.resources;
    const by = <K extends string>(pick: (r: GitOpsResourceView) => K) =>
      rs.reduce((acc, r) => {
        acc[pick(r)] = (acc[pick(r)] ?? 0) + 1;
        return acc;
      }, {} as Record<K, number>);
    return {
      total: rs.length,
      synced: rs.filter(r => r.syncStatus === 'Synced').length,
      outOfSync: rs.filter(r => r.syncStatus === 'OutOfSync').length,
      failed: rs.filter(r => r.healthStatus === 'Degraded').length,
      suspended: rs.filter(r => r.suspended).length,
      unknownSync: rs.filter(r => r.syncStatus === 'Unknown').length,
      drifted: rs.filter(r => r.drift.detected).length,
      byTool: Object.assign(
        { argocd: 0, fluxcd: 0 },
        by(r => r.tool),
      ),
      bySyncStatus: Object.assign(
        { Synced: 0, OutOfSync: 0, Unknown: 0 },
        by(r => r.syncStatus),
      ),
      byHealthStatus: Object.assign(
        {
          Healthy: 0,
          Progressing: 0,
          Degraded: 0,
          Suspended: 0,
          Missing: 0,
          Unknown: 0,
        },
        by(r => r.healthStatus),
      ),
      computedAt: new Date().toISOString(),
    };
  }

  async getClusters() {
    this.record('getClusters');
    return { items: this.clusters };
  }

  async createCommand(resourceId: string, request: CommandRequest) {
    this.record('createCommand', resourceId, request);
    if (this.commandError) {
      throw this.commandError;
    }
    const now = new Date().toISOString();
    const command: GitOpsCommandView = {
      id: `cmd-${this.commands.length + 1}`,
      resourceId,
      type: request.type,
      hard: request.hard ?? false,
      status: 'queued',
      requestedBy: 'user:default/guest',
      requestedAt: now,
      deliveredAt: null,
      finishedAt: null,
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
      message: null,
    };
    this.commands.unshift(command);
    return command;
  }

  /** What an agent does: moves a command on, as the backend would record it. */
  finishCommand(
    id: string,
    status: GitOpsCommandView['status'],
    message: string | null,
  ) {
    const command = this.commands.find(c => c.id === id)!;
    Object.assign(command, {
      status,
      message,
      finishedAt: new Date().toISOString(),
    });
  }

  async listCommands(resourceId: string) {
    this.record('listCommands', resourceId);
    return { items: this.commands.filter(c => c.resourceId === resourceId) };
  }

  async getCommand(id: string) {
    this.record('getCommand', id);
    return { ...this.commands.find(c => c.id === id)! };
  }

  private find(id: string): GitOpsResourceView {
    const r = this.resources.find(x => x.id === id);
    if (!r) {
      throw new Error(`no resource ${id}`);
    }
    return r;
  }

  private update(id: string, patch: Partial<GitOpsResourceView>) {
    const updated = { ...this.find(id), ...patch };
    this.resources = this.resources.map(r => (r.id === id ? updated : r));
    return updated;
  }
}
