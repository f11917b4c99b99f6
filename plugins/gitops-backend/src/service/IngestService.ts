import {
  toStorableResource,
  type PushRequest,
} from '@shoehorn/plugin-gitops-common';
import type { GitOpsDatabase } from '../database/GitOpsDatabase';
import type { PushOutcome, StoredGitOpsResource } from '../database/types';
import type { EntityLinker } from '../linking/EntityLinker';
import type { AgentIdentity } from './agentIdentity';
import type { ChangePublisher } from './ChangePublisher';
import type { GitOpsClock } from './clock';
import type { StatsCache } from './StatsCache';

/**
 * Every write that changes what the portal shows: pushes, manual links and relinking.
 * Each decides links with the loaded catalog index and announces what it changed.
 */
export class IngestService {
  constructor(
    private readonly deps: {
      db: Pick<GitOpsDatabase, 'ingest' | 'links' | 'refusals'>;
      linker: EntityLinker;
      stats: StatsCache;
      publisher: ChangePublisher;
      clock: GitOpsClock;
    },
  ) {}

  async push(identity: AgentIdentity, push: PushRequest): Promise<PushOutcome> {
    const { db, linker, stats, publisher, clock } = this.deps;
    // Source URLs lose their credentials here too, whatever agent sent them.
    const storable = { ...push, upserts: push.upserts.map(toStorableResource) };
    const outcome = await db.ingest.applyPush(identity, storable, {
      now: clock.now(),
      resolveLink: await linker.resolver(),
    });
    if (outcome.kind === 'applied') {
      await db.refusals.clear(identity);
      await stats.invalidate(identity.tenant);
      await publisher.resourcesChanged(identity.cluster);
    }
    return outcome;
  }

  /** Links a resource to an entity by hand; undefined when there is no such resource. */
  async link(
    tenant: string,
    id: string,
    link: { entityRef: string; linkedBy: string },
  ): Promise<StoredGitOpsResource | undefined> {
    const { db, linker, clock } = this.deps;
    const updated = await db.links.set(
      tenant,
      id,
      { ...link, now: clock.now() },
      await linker.resolver(),
    );
    return this.announce(updated);
  }

  /** Drops a manual link, so the automatic rules decide again. */
  async unlink(
    tenant: string,
    id: string,
  ): Promise<StoredGitOpsResource | undefined> {
    const { db, linker } = this.deps;
    const updated = await db.links.remove(tenant, id, await linker.resolver());
    return this.announce(updated);
  }

  /** Re-reads the catalog; when it changed, re-evaluates every link. Returns how many changed. */
  async relinkFromCatalog(): Promise<number> {
    const { db, linker, publisher } = this.deps;
    if (!(await linker.refresh())) {
      return 0;
    }
    const result = await db.links.relinkAll(await linker.resolver());
    await Promise.all(result.clusters.map(c => publisher.resourcesChanged(c)));
    return result.changed;
  }

  private async announce(resource: StoredGitOpsResource | undefined) {
    if (resource) {
      await this.deps.publisher.resourcesChanged(resource.cluster);
    }
    return resource;
  }
}
