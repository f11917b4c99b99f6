/*
 * Fills the store for the read benchmarks: rows exactly as the store writes them
 * (resourceToRow, the catalog links resolved), inserted in batches, and one empty delta per
 * cluster through the push route so every cluster has a real heartbeat row.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { EntityIndex } from '../../plugins/gitops-backend/src/linking/EntityIndex';
import { resourceToRow } from '../../plugins/gitops-backend/src/database/resourceRows';
import type { BenchBackend } from './backend';
import { agentInfo, fleetResource } from './fleet';

export const FLEET_CLUSTERS = Array.from(
  { length: 10 },
  (_, i) => `fleet-${i}`,
);

export async function registerClusters(backend: BenchBackend) {
  for (const cluster of FLEET_CLUSTERS) {
    await backend.push(backend.agent(cluster), {
      agent: agentInfo(randomUUID()),
      seq: 1,
      type: 'delta',
      upserts: [],
      deletes: [],
    });
  }
}

/** Blocks of ten resources per cluster, so that no status is tied to one cluster. */
export function clusterOf(i: number): string {
  return FLEET_CLUSTERS[Math.floor(i / 10) % FLEET_CLUSTERS.length];
}

/** Adds resources number `from` up to `to` (exclusive), spread over the fleet's clusters. */
export async function seedResources(
  knex: Knex,
  index: EntityIndex,
  from: number,
  to: number,
) {
  const chunk = knex.client.config.client === 'pg' ? 1000 : 500;
  const now = Date.now();
  for (let start = from; start < to; start += chunk) {
    const rows = [];
    for (let i = start; i < Math.min(to, start + chunk); i++) {
      const resource = fleetResource(i);
      rows.push(
        resourceToRow(
          {
            id: randomUUID(),
            tenant: 'default',
            cluster: clusterOf(i),
            observedAt: now - i,
          },
          resource,
          index.resolve(resource, undefined),
        ),
      );
    }
    await knex('gitops_resources').insert(rows);
  }
  // As autovacuum leaves a table after a bulk load (visibility map set: index-only scans possible).
  if (knex.client.config.client === 'pg')
    await knex.raw('vacuum analyze gitops_resources');
}
