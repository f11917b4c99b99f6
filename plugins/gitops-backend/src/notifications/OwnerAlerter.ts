import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  LinkStatus,
  ResourceFilter,
} from '@shoehorn/plugin-gitops-common';
import type { GitOpsDatabase } from '../database/GitOpsDatabase';
import type { StoredGitOpsResource } from '../database/types';
import type { GitOpsClock } from '../service/clock';
import { clusterStateAt } from '../service/clusterState';
import type { GitOpsNotifier } from './GitOpsNotifier';
import type { OwnerAlertStore } from './OwnerAlertStore';
import {
  nextAlertState,
  observedCondition,
  type AlertThresholds,
} from './ownerAlerts';

const LINKED: LinkStatus[] = ['annotation', 'name', 'manual'];
const PAGE_SIZE = 500;

/**
 * One check of every linked resource against the alert rules: reads the resources in
 * trouble and the open alerts, moves each alert on, and notifies the transitions this
 * replica won the write of.
 */
export class OwnerAlerter {
  constructor(
    private readonly deps: {
      tenant: string;
      db: Pick<GitOpsDatabase, 'resources' | 'clusters'>;
      alerts: OwnerAlertStore;
      notifier: GitOpsNotifier;
      clock: GitOpsClock;
      thresholds: AlertThresholds;
      logger: LoggerService;
    },
  ) {}

  async check(): Promise<void> {
    const { tenant, db, alerts, notifier, clock, thresholds } = this.deps;
    const now = clock.now();
    // A disconnected agent leaves its cluster's resources of its tool unwatched.
    const disconnected = (await db.clusters.list(tenant)).filter(
      a => clusterStateAt(a.lastSeenAt, now) === 'disconnected',
    );
    const unwatched = (r: { cluster: string; tool: string }) =>
      disconnected.some(a => a.name === r.cluster && a.agentTool === r.tool);
    const troubled = await this.linkedResources([
      { healthStatus: ['Degraded'] },
      { syncStatus: ['OutOfSync'] },
      ...disconnected.map(a => ({ cluster: [a.name], tool: [a.agentTool] })),
    ]);
    const open = await alerts.list(tenant);

    let sent = 0;
    for (const id of new Set([...troubled.keys(), ...open.keys()])) {
      const previous = open.get(id);
      const resource = troubled.get(id) ?? (await db.resources.get(tenant, id));
      const entityRef = resource?.link.entityRef ?? previous?.entityRef;
      if (!entityRef) {
        continue;
      }
      // Unlinked, relinked elsewhere or gone: the alert of the old entity resolves.
      const observed =
        resource && resource.link.entityRef === entityRef
          ? observedCondition({
              clusterDisconnected: unwatched(resource),
              healthStatus: resource.healthStatus,
              syncStatus: resource.syncStatus,
            })
          : null;
      const { state, transition } = nextAlertState(
        previous?.state,
        observed,
        now,
        thresholds,
      );
      if (
        previous &&
        previous.state.condition === state.condition &&
        previous.state.since === state.since &&
        previous.state.notified === state.notified
      ) {
        continue;
      }
      const won = await alerts.save(
        tenant,
        {
          resourceId: id,
          entityRef,
          cluster: resource?.cluster ?? previous!.cluster,
          resourceName: resource?.name ?? previous!.resourceName,
          state,
        },
        previous?.version,
      );
      if (won && transition) {
        sent += 1;
        await notifier.resourceAlert(
          entityRef,
          {
            id,
            name: resource?.name ?? previous!.resourceName,
            cluster: resource?.cluster ?? previous!.cluster,
            kind: resource?.kind,
            healthStatus:
              observed === null ? resource?.healthStatus : undefined,
            syncStatus: resource?.syncStatus,
            message: resource?.message,
            driftReason: resource?.drift.reason,
          },
          state.notified,
        );
      }
    }
    if (sent > 0) {
      this.deps.logger.info(`Sent ${sent} GitOps owner notifications`);
    }
  }

  /** Linked resources matching any of the filters, by id. */
  private async linkedResources(
    filters: ResourceFilter[],
  ): Promise<Map<string, StoredGitOpsResource>> {
    const found = new Map<string, StoredGitOpsResource>();
    for (const filter of filters) {
      let cursor: string | undefined;
      do {
        const page = await this.deps.db.resources.list(this.deps.tenant, {
          filter: { ...filter, linked: LINKED },
          sort: { field: 'name', descending: false },
          limit: PAGE_SIZE,
          cursor,
        });
        page.items.forEach(r => found.set(r.id, r));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    return found;
  }
}
