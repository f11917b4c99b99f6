import { CacheService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import {
  GITOPS_TOOLS,
  HEALTH_STATUSES,
  SYNC_STATUSES,
  type GitOpsStats,
} from '@shoehorn/plugin-gitops-common';
import type { StatusCountRow } from '../database/types';

export const STATS_TTL_MS = 30_000;
const GENERATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

function zeroCounts<T extends string>(values: readonly T[]): Record<T, number> {
  return Object.fromEntries(values.map(v => [v, 0])) as Record<T, number>;
}

export function statsFromCounts(
  rows: StatusCountRow[],
  computedAt: number,
): GitOpsStats {
  const stats: GitOpsStats = {
    total: 0,
    synced: 0,
    outOfSync: 0,
    failed: 0,
    suspended: 0,
    unknownSync: 0,
    drifted: 0,
    byTool: zeroCounts(GITOPS_TOOLS),
    bySyncStatus: zeroCounts(SYNC_STATUSES),
    byHealthStatus: zeroCounts(HEALTH_STATUSES),
    computedAt: new Date(computedAt).toISOString(),
  };
  for (const row of rows) {
    stats.total += row.count;
    stats.byTool[row.tool] += row.count;
    stats.bySyncStatus[row.syncStatus] += row.count;
    stats.byHealthStatus[row.healthStatus] += row.count;
    if (row.syncStatus === 'Synced') stats.synced += row.count;
    if (row.syncStatus === 'OutOfSync') stats.outOfSync += row.count;
    if (row.syncStatus === 'Unknown') stats.unknownSync += row.count;
    if (row.healthStatus === 'Degraded') stats.failed += row.count;
    if (row.suspended) stats.suspended += row.count;
    if (row.driftDetected) stats.drifted += row.count;
  }
  return stats;
}

/**
 * Stats cached per tenant for 30 s. A change notice bumps the tenant's generation key, so
 * every replica sharing the cache computes afresh on its next read; readers that miss at
 * once share one computation.
 */
export class StatsCache {
  private readonly computing = new Map<string, Promise<GitOpsStats>>();

  constructor(
    private readonly cache: CacheService,
    private readonly compute: (tenant: string) => Promise<GitOpsStats>,
  ) {}

  async get(tenant: string): Promise<GitOpsStats> {
    // Read the generation first: a push during the computation moves readers to a new key.
    const generation =
      (await this.cache.get<string>(this.generationKey(tenant))) ?? '0';
    const key = `stats:${encodeURIComponent(tenant)}:${generation}`;
    const cached = await this.cache.get<JsonObject>(key);
    if (cached) {
      return cached as unknown as GitOpsStats;
    }
    let computing = this.computing.get(key);
    if (!computing) {
      computing = this.computeAndStore(tenant, key).finally(() =>
        this.computing.delete(key),
      );
      this.computing.set(key, computing);
    }
    return computing;
  }

  private async computeAndStore(tenant: string, key: string) {
    const stats = await this.compute(tenant);
    await this.cache.set(key, stats as unknown as JsonObject, {
      ttl: STATS_TTL_MS,
    });
    return stats;
  }

  async invalidate(tenant: string): Promise<void> {
    const generation = `${Date.now().toString(36)}-${Math.random()
      .toString(36)
      .slice(2)}`;
    await this.cache.set(this.generationKey(tenant), generation, {
      ttl: GENERATION_TTL_MS,
    });
  }

  private generationKey(tenant: string): string {
    return `stats-generation:${encodeURIComponent(tenant)}`;
  }
}
