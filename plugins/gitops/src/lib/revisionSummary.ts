import type { GitOpsResourceView } from '@shoehorn/plugin-gitops-common';
import { parseRevision } from './links';

/** One revision of one source that runs in a cluster, and the resources at it. */
export interface RunningRevision {
  /** As the first of its resources reports it (the same commit may be written two ways). */
  revision: string | null;
  source: { url: string | null; chart: string | null };
  resources: string[];
}

/** What runs in one cluster. */
export interface ClusterRevisions {
  cluster: string;
  revisions: RunningRevision[];
  /** Some source runs at more than one revision here (or at none for one of its resources). */
  mixed: boolean;
}

/** The commit a revision names, so `main@sha1:<sha>` and a raw `<sha>` count as one. */
function commitOf(revision: string | null): string {
  if (!revision) {
    return '';
  }
  return parseRevision(revision).sha ?? revision.toLowerCase();
}

/** Per cluster (by name), which revision of each source its resources run. */
export function revisionsByCluster(
  resources: GitOpsResourceView[],
): ClusterRevisions[] {
  const clusters = new Map<string, Map<string, RunningRevision>>();
  for (const r of resources) {
    const source = { url: r.source.url, chart: r.source.chart };
    const key = JSON.stringify([
      source.url,
      source.chart,
      commitOf(r.revision),
    ]);
    const running = clusters.get(r.cluster) ?? new Map();
    clusters.set(r.cluster, running);
    const entry = running.get(key) ?? {
      revision: r.revision,
      source,
      resources: [],
    };
    running.set(key, entry);
    entry.resources.push(r.name);
  }
  return [...clusters]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cluster, running]) => {
      const revisions = [...running.values()];
      const sources = revisions.map(v => JSON.stringify(v.source));
      return {
        cluster,
        revisions,
        mixed: new Set(sources).size < sources.length,
      };
    });
}
