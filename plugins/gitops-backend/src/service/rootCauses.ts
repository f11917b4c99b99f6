import {
  resolveRootCause,
  waitedOnKeys,
  type GitOpsResource,
  type GitOpsResourceKey,
  type RootCause,
} from '@shoehorn/plugin-gitops-common';
import type { ResourceQueryStore } from '../database/ResourceQueryStore';
import type { StoredGitOpsResource } from '../database/types';

/** Levels of the chain read from the store; the rule itself cuts deeper chains too. */
const MAX_LEVELS = 8;

function clusterKey(cluster: string, key: GitOpsResourceKey): string {
  return JSON.stringify([cluster, key.tool, key.kind, key.namespace, key.name]);
}

/**
 * The root cause of each resource by id (null when nothing known blocks it). Reads what
 * the resources wait on, level by level, from the same cluster, then applies the shared
 * rule (gitops-common resolveRootCause) at `now`, the time of reading: a sync window opens
 * and closes without any push.
 */
export async function rootCausesOf(
  store: Pick<ResourceQueryStore, 'byKeys'>,
  tenant: string,
  resources: StoredGitOpsResource[],
  now: number,
): Promise<Map<string, RootCause | null>> {
  const known = new Map<string, GitOpsResource>();
  for (const r of resources) {
    known.set(clusterKey(r.cluster, r), r);
  }
  let frontier: StoredGitOpsResource[] = resources;
  for (let level = 0; level < MAX_LEVELS && frontier.length; level++) {
    const wanted = new Map<string, GitOpsResourceKey & { cluster: string }>();
    for (const r of frontier) {
      for (const key of waitedOnKeys(r)) {
        const id = clusterKey(r.cluster, key);
        if (!known.has(id)) wanted.set(id, { ...key, cluster: r.cluster });
      }
    }
    if (!wanted.size) break;
    frontier = await store.byKeys(tenant, [...wanted.values()]);
    for (const r of frontier) {
      known.set(clusterKey(r.cluster, r), r);
    }
  }
  return new Map(
    resources.map(r => [
      r.id,
      resolveRootCause(r, key => known.get(clusterKey(r.cluster, key)), now),
    ]),
  );
}
