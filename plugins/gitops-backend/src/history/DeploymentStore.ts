import type {
  DeploymentOutcome,
  DeploymentView,
  EpisodeKind,
} from '@shoehorn/plugin-gitops-common';
import type { Knex } from 'knex';
import { chunks, idsPerQuery, rowsPerInsert } from '../database/batches';
import { toEpochMs } from '../database/resourceRows';
import type { DeploymentFact, EpisodeFact } from './metrics';
import {
  trackObservation,
  type ObservedState,
  type OpenDeployment,
} from './trackingRules';

/** One resource's observation as the ingest path wrote it. */
export interface ObservedChange {
  tenant: string;
  resourceId: string;
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
  entityRef: string | null;
  sourceUrl: string | null;
  /** Undefined when the resource was first seen. */
  previous: ObservedState | undefined;
  current: ObservedState;
}

function toView(row: any): DeploymentView {
  const endedAt = toEpochMs(row.ended_at);
  return {
    id: String(row.id),
    resourceId: row.resource_id,
    cluster: row.cluster,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    entityRef: row.entity_ref,
    sourceUrl: row.source_url,
    fromRevision: row.from_revision,
    toRevision: row.to_revision,
    startedAt: new Date(toEpochMs(row.started_at) ?? 0).toISOString(),
    endedAt: endedAt === null ? null : new Date(endedAt).toISOString(),
    outcome: (row.outcome ?? null) as DeploymentOutcome | null,
  };
}

/** Deployments and episodes in gitops_deployments / gitops_episodes. */
export class DeploymentStore {
  constructor(private readonly db: Knex) {}

  /** Records what a set of observations (one push) did to deployments and episodes. */
  async track(
    tx: Knex | Knex.Transaction,
    changes: ObservedChange[],
    now: number,
  ): Promise<void> {
    if (changes.length === 0) {
      return;
    }
    const ids = changes.map(c => c.resourceId);
    const openDeployments = new Map<string, OpenDeployment & { id: string }>();
    const openEpisodes = new Map<string, Map<EpisodeKind, string>>();
    for (const batch of chunks(ids, idsPerQuery(tx))) {
      const deployments = await tx('gitops_deployments')
        .whereIn('resource_id', batch)
        .whereNull('ended_at')
        .select('id', 'resource_id', 'to_revision');
      for (const row of deployments) {
        openDeployments.set(row.resource_id, {
          id: String(row.id),
          toRevision: row.to_revision,
        });
      }
      const episodes = await tx('gitops_episodes')
        .whereIn('resource_id', batch)
        .whereNull('ended_at')
        .select('id', 'resource_id', 'kind');
      for (const row of episodes) {
        const byKind = openEpisodes.get(row.resource_id) ?? new Map();
        byKind.set(row.kind as EpisodeKind, String(row.id));
        openEpisodes.set(row.resource_id, byKind);
      }
    }

    const endings = new Map<DeploymentOutcome, string[]>();
    const starts: Record<string, unknown>[] = [];
    const closedEpisodes: string[] = [];
    const newEpisodes: Record<string, unknown>[] = [];
    for (const change of changes) {
      const open = openDeployments.get(change.resourceId);
      const episodes = openEpisodes.get(change.resourceId) ?? new Map();
      const step = trackObservation({
        previous: change.previous,
        current: change.current,
        open,
        openEpisodes: new Set(episodes.keys()),
      });
      if (step.endOpen && open) {
        endings.set(step.endOpen, [
          ...(endings.get(step.endOpen) ?? []),
          open.id,
        ]);
      }
      if (step.start) {
        starts.push({
          tenant: change.tenant,
          resource_id: change.resourceId,
          cluster: change.cluster,
          kind: change.kind,
          namespace: change.namespace,
          name: change.name,
          entity_ref: change.entityRef,
          source_url: change.sourceUrl,
          from_revision: step.start.fromRevision,
          to_revision: step.start.toRevision,
          started_at: now,
          ended_at: step.endStarted ? now : null,
          outcome: step.endStarted ?? null,
        });
      }
      for (const kind of step.closeEpisodes) {
        closedEpisodes.push(episodes.get(kind)!);
      }
      for (const kind of step.openEpisodes) {
        newEpisodes.push({
          tenant: change.tenant,
          resource_id: change.resourceId,
          entity_ref: change.entityRef,
          kind,
          started_at: now,
          ended_at: null,
        });
      }
    }

    for (const [outcome, endedIds] of endings) {
      for (const batch of chunks(endedIds, idsPerQuery(tx))) {
        await tx('gitops_deployments')
          .whereIn('id', batch)
          .update({ ended_at: now, outcome });
      }
    }
    for (const batch of chunks(closedEpisodes, idsPerQuery(tx))) {
      await tx('gitops_episodes')
        .whereIn('id', batch)
        .update({ ended_at: now });
    }
    for (const batch of chunks(starts, rowsPerInsert(tx))) {
      await tx('gitops_deployments').insert(batch);
    }
    for (const batch of chunks(newEpisodes, rowsPerInsert(tx))) {
      await tx('gitops_episodes').insert(batch);
    }
  }

  async listForResource(
    tenant: string,
    resourceId: string,
    limit: number,
  ): Promise<DeploymentView[]> {
    const rows = await this.db('gitops_deployments')
      .where({ tenant, resource_id: resourceId })
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toView);
  }

  /** Deployments attributed to any of the entities, newest first. */
  async listForEntities(
    tenant: string,
    entityRefs: string[],
    limit: number,
  ): Promise<DeploymentView[]> {
    if (entityRefs.length === 0) {
      return [];
    }
    const rows = await this.db('gitops_deployments')
      .where({ tenant })
      .whereIn('entity_ref', entityRefs)
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toView);
  }

  /** What the metrics of the entities since `since` are computed from. */
  async metricFacts(
    tenant: string,
    entityRefs: string[],
    since: number,
  ): Promise<{ deployments: DeploymentFact[]; episodes: EpisodeFact[] }> {
    if (entityRefs.length === 0) {
      return { deployments: [], episodes: [] };
    }
    const [deployments, episodes] = await Promise.all([
      this.db('gitops_deployments')
        .where({ tenant })
        .whereIn('entity_ref', entityRefs)
        .andWhere('started_at', '>=', since)
        .select('resource_id', 'started_at', 'ended_at', 'outcome'),
      this.db('gitops_episodes')
        .where({ tenant })
        .whereIn('entity_ref', entityRefs)
        .andWhere(q => q.whereNull('ended_at').orWhere('ended_at', '>=', since))
        .select('resource_id', 'kind', 'started_at', 'ended_at'),
    ]);
    return {
      deployments: deployments.map(r => ({
        resourceId: r.resource_id,
        startedAt: Number(r.started_at),
        endedAt: r.ended_at === null ? null : Number(r.ended_at),
        outcome: r.outcome,
      })),
      episodes: episodes.map(r => ({
        resourceId: r.resource_id,
        kind: r.kind,
        startedAt: Number(r.started_at),
        endedAt: r.ended_at === null ? null : Number(r.ended_at),
      })),
    };
  }

  /** Drops deployments started and episodes ended before `before`. */
  async prune(
    before: number,
  ): Promise<{ deployments: number; episodes: number }> {
    const deployments = await this.db('gitops_deployments')
      .where('started_at', '<', before)
      .delete();
    const episodes = await this.db('gitops_episodes')
      .where('ended_at', '<', before)
      .delete();
    return { deployments, episodes };
  }
}
