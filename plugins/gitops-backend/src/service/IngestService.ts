import {
  staleKindsOf,
  toStorableResource,
  type PushRequest,
  type ResourceLink,
} from '@shoehorn/plugin-gitops-common';
import { ChangeCollector } from '../database/ChangeCollector';
import type { GitOpsDatabase } from '../database/GitOpsDatabase';
import type { PushOutcome, StoredGitOpsResource } from '../database/types';
import type { EntityLinker } from '../linking/EntityLinker';
import type { AgentIdentity } from './agentIdentity';
import type { ChangePublisher } from './ChangePublisher';
import type { GitOpsClock } from './clock';
import type { StagingLimits } from './config';

/**
 * An empty delta in one part: it changes no resource whatever its seq, so skipping the
 * seq check is safe (a later push with a lower seq would have applied after it anyway).
 */
function isHeartbeat(push: PushRequest): boolean {
  return (
    push.type === 'delta' &&
    push.upserts.length === 0 &&
    push.deletes.length === 0 &&
    (push.parts ?? 1) <= 1
  );
}

/** The kinds an agent reports stale, as one comparable string. */
const staleKindsKey = (agent: PushRequest['agent']): string =>
  staleKindsOf(agent)
    .map(k => k.kind)
    .sort()
    .join(',');

/**
 * Every write that changes what the portal shows: pushes, manual links and relinking.
 * Each decides links with the loaded catalog index and announces what it changed.
 */
export class IngestService {
  /** What each agent last said about itself, as written to its cluster row by this replica. */
  private readonly writtenAgents = new Map<
    string,
    { said: string; staleKinds: string }
  >();

  constructor(
    private readonly deps: {
      db: Pick<
        GitOpsDatabase,
        'ingest' | 'links' | 'refusals' | 'clusters' | 'resources'
      >;
      linker: EntityLinker;
      publisher: ChangePublisher;
      clock: GitOpsClock;
      staging: StagingLimits;
    },
  ) {}

  /**
   * Applies a push. A heartbeat (an empty delta from an agent already recorded) only marks
   * its cluster as seen; only a push that changed a resource invalidates stats and signals.
   */
  async push(identity: AgentIdentity, push: PushRequest): Promise<PushOutcome> {
    const { db, linker, publisher, clock, staging } = this.deps;
    const now = clock.now();
    const agentKey = JSON.stringify([
      identity.tenant,
      identity.cluster,
      push.agent.tool,
    ]);
    const agent = JSON.stringify([identity.subject, push.agent]);
    db.clusters.seen(identity, push.agent.tool, now);
    const previous = this.writtenAgents.get(agentKey);
    if (isHeartbeat(push) && previous?.said === agent) {
      return { kind: 'applied', applied: 0, changed: 0, entityRefs: [] };
    }
    // Source URLs lose their credentials here too, whatever agent sent them.
    const storable = { ...push, upserts: push.upserts.map(toStorableResource) };
    const outcome = await db.ingest.applyPush(identity, storable, {
      now,
      resolveLink: await linker.resolver(),
      staging,
    });
    const staleKinds = staleKindsKey(push.agent);
    this.writtenAgents.set(agentKey, { said: agent, staleKinds });
    // Objects of a kind that turned stale (or fresh) read differently, wherever they are linked.
    if (staleKinds !== (previous?.staleKinds ?? '')) {
      await publisher.resourcesChanged(identity.tenant, {
        clusters: [identity.cluster],
        entityRefs: null,
      });
    }
    if (outcome.kind === 'applied') {
      await db.refusals.clear(identity, push.agent.tool);
      if (outcome.changed > 0) {
        await publisher.resourcesChanged(
          identity.tenant,
          { clusters: [identity.cluster], entityRefs: outcome.entityRefs },
          { statsChanged: true },
        );
      }
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
    const before = await db.resources.get(tenant, id);
    const updated = await db.links.set(
      tenant,
      id,
      { ...link, now: clock.now() },
      await linker.resolver(),
    );
    return this.announce(before, updated);
  }

  /** The link the automatic rules (annotation, then name) give a resource, ignoring a manual one. */
  async automaticLink(
    resource: Pick<StoredGitOpsResource, 'name' | 'entityAnnotation'>,
  ): Promise<ResourceLink> {
    return (await this.deps.linker.resolver())(resource, undefined);
  }

  /** Drops a manual link, so the automatic rules decide again. */
  async unlink(
    tenant: string,
    id: string,
  ): Promise<StoredGitOpsResource | undefined> {
    const { db, linker } = this.deps;
    const before = await db.resources.get(tenant, id);
    const updated = await db.links.remove(tenant, id, await linker.resolver());
    return this.announce(before, updated);
  }

  /** Re-reads the catalog; when it changed, re-evaluates every link. Returns how many changed. */
  async relinkFromCatalog(): Promise<number> {
    const { db, linker, publisher } = this.deps;
    if (!(await linker.refresh())) {
      return 0;
    }
    const result = await db.links.relinkAll(await linker.resolver());
    await Promise.all(
      result.changes
        .tenants()
        .map(t => publisher.resourcesChanged(t, result.changes.of(t))),
    );
    return result.changed;
  }

  /** A link change concerns the entity the resource leaves and the one it joins. */
  private async announce(
    before: StoredGitOpsResource | undefined,
    resource: StoredGitOpsResource | undefined,
  ) {
    if (resource) {
      const changes = new ChangeCollector();
      changes.add(
        resource.tenant,
        resource.cluster,
        before?.link.entityRef,
        resource.link.entityRef,
      );
      await this.deps.publisher.resourcesChanged(
        resource.tenant,
        changes.of(resource.tenant),
      );
    }
    return resource;
  }
}
