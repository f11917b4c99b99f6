import type { ResourceChanges } from '@shoehorn/plugin-gitops-common';

/** Gathers, per tenant, the clusters and entity refs a write changed, for its change notice. */
export class ChangeCollector {
  private readonly byTenant = new Map<
    string,
    { clusters: Set<string>; entityRefs: Set<string> }
  >();

  /** One changed row: its cluster, and its entity before and after the change. */
  add(
    tenant: string,
    cluster: string,
    ...entityRefs: Array<string | null | undefined>
  ): void {
    let changes = this.byTenant.get(tenant);
    if (!changes) {
      changes = { clusters: new Set(), entityRefs: new Set() };
      this.byTenant.set(tenant, changes);
    }
    changes.clusters.add(cluster);
    for (const ref of entityRefs) {
      if (ref) {
        changes.entityRefs.add(ref);
      }
    }
  }

  /** The changes of one tenant, sorted; empty when it changed nothing. */
  of(tenant: string): ResourceChanges {
    const changes = this.byTenant.get(tenant);
    return {
      clusters: [...(changes?.clusters ?? [])].sort(),
      entityRefs: [...(changes?.entityRefs ?? [])].sort(),
    };
  }

  tenants(): string[] {
    return [...this.byTenant.keys()];
  }
}
