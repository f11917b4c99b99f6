import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  GITOPS_SIGNAL_CHANNEL,
  mergeResourceChanges,
  type GitOpsSignal,
  type ResourceChanges,
} from '@shoehorn/plugin-gitops-common';
import type { CommandRecord } from '../commands/CommandStore';

/** Where replicas take turns: at most one notice per tenant per interval, all replicas together. */
export interface NoticeSlots {
  /** Takes the tenant's slot at `now` (true), or answers when it frees. */
  take(
    tenant: string,
    now: number,
    intervalMs: number,
  ): Promise<true | { freeAt: number }>;
}

/** The slots of a single process. */
export function memoryNoticeSlots(): NoticeSlots {
  const sentAt = new Map<string, number>();
  return {
    async take(tenant, now, intervalMs) {
      const freeAt = (sentAt.get(tenant) ?? -Infinity) + intervalMs;
      if (now < freeAt) {
        return { freeAt };
      }
      sentAt.set(tenant, now);
      return true;
    },
  };
}

/** One tenant's notices: what waits for the next, and whether stats changed meanwhile. */
interface TenantNotices {
  pending?: ResourceChanges;
  statsChanged: boolean;
  sending: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Announces changes on the gitops signal channel. Resource changes are coalesced: at most
 * one notice per tenant per interval across all replicas (every browser hears every
 * replica), naming every cluster and entity changed since the last; the first change after
 * a quiet interval goes out at once. The tenant's cached stats are invalidated with the
 * notice, so a page refetching on it reads fresh counts and the cache serves in between.
 * A failed publish never fails a request.
 */
export class ChangePublisher {
  private readonly tenants = new Map<string, TenantNotices>();
  private readonly slots: NoticeSlots;

  constructor(
    private readonly deps: {
      signals: SignalsService | undefined;
      logger: LoggerService;
      /** Real time, not the GitOps clock: it paces what browsers receive. */
      intervalMs: number;
      slots?: NoticeSlots;
      stats?: { invalidate(tenant: string): Promise<void> };
    },
  ) {
    this.slots = deps.slots ?? memoryNoticeSlots();
  }

  /** Resources of a tenant changed; `statsChanged` when their statuses may count differently. */
  async resourcesChanged(
    tenant: string,
    changes: ResourceChanges,
    options: { statsChanged?: boolean } = {},
  ): Promise<void> {
    const notices = this.tenants.get(tenant) ?? {
      statsChanged: false,
      sending: false,
    };
    this.tenants.set(tenant, notices);
    notices.pending = notices.pending
      ? mergeResourceChanges(notices.pending, changes)
      : changes;
    notices.statsChanged ||= options.statsChanged ?? false;
    if (!notices.timer && !notices.sending) {
      await this.trySend(tenant, notices);
    }
  }

  async commandChanged(command: CommandRecord): Promise<void> {
    await this.publish({
      type: 'command',
      commandId: command.id,
      resourceId: command.resourceId,
      status: command.status,
    });
  }

  /** Sends what is pending now (at shutdown), and stops the timers. */
  async flush(): Promise<void> {
    await Promise.all(
      [...this.tenants.entries()].map(([tenant, notices]) => {
        clearTimeout(notices.timer);
        notices.timer = undefined;
        return this.send(tenant, notices);
      }),
    );
  }

  /** Sends when this replica gets the tenant's slot; else tries again when it frees. */
  private async trySend(tenant: string, notices: TenantNotices) {
    notices.sending = true;
    try {
      const slot = await this.slots
        .take(tenant, Date.now(), this.deps.intervalMs)
        .catch(error => {
          this.deps.logger.warn(
            `Could not take a change-notice slot: ${error}`,
          );
          return true as const;
        });
      if (slot === true) {
        await this.send(tenant, notices);
      } else {
        this.retryAt(tenant, notices, slot.freeAt);
      }
    } finally {
      notices.sending = false;
    }
    // Changes that arrived while this notice went out wait for the next slot.
    if (notices.pending && !notices.timer) {
      this.retryAt(tenant, notices, Date.now() + this.deps.intervalMs);
    }
  }

  private retryAt(tenant: string, notices: TenantNotices, at: number) {
    notices.timer = setTimeout(() => {
      notices.timer = undefined;
      void this.trySend(tenant, notices);
    }, Math.max(1, at - Date.now()));
    notices.timer.unref?.();
  }

  private async send(tenant: string, notices: TenantNotices): Promise<void> {
    const { pending, statsChanged } = notices;
    notices.pending = undefined;
    notices.statsChanged = false;
    if (statsChanged) {
      await this.deps.stats?.invalidate(tenant).catch(error => {
        this.deps.logger.warn(`Could not invalidate GitOps stats: ${error}`);
      });
    }
    if (pending) {
      await this.publish({ type: 'resources', ...pending });
    }
  }

  private async publish(message: GitOpsSignal): Promise<void> {
    if (!this.deps.signals) {
      return;
    }
    try {
      await this.deps.signals.publish({
        recipients: { type: 'broadcast' },
        channel: GITOPS_SIGNAL_CHANNEL,
        message,
      });
    } catch (error) {
      this.deps.logger.warn(
        `Could not publish ${message.type} signal: ${error}`,
      );
    }
  }
}
