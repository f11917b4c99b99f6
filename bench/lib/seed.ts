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

export const FLEET_CLUSTERS = Array.from({ length: 10 }, (_, i) => `fleet-${i}`);

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

/** Adds resources number `from` up to `to` (exclusive), spread over the fleet's clusters. */
export async function seedResources(knex: Knex, index: EntityIndex, from: number, to: number) {
  const chunk = knex.client.config.client === 'pg' ? 1000 : 500;
  const now = Date.now();
  for (let start = from; start < to; start += chunk) {
    const rows = [];
    for (let i = start; i < Math.min(to, start + chunk); i++) {
      const resource = fleetResource(i);
      rows.push(
        resourceToRow(
          { id: randomUUID(), tenant: 'default', cluster: FLEET_CLUSTERS[i % FLEET_CLUSTERS.length], observedAt: now - i },
          resource,
          index.resolve(resource, undefined),
        ),
      );
    }
    await knex('gitops_resources').insert(rows);
  }
  if (knex.client.config.client === 'pg') await knex.raw('analyze gitops_resources');
}
