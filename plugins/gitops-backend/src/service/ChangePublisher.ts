import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  GITOPS_SIGNAL_CHANNEL,
  mergeResourceChanges,
  type GitOpsSignal,
  type ResourceChanges,
} from '@shoehorn/plugin-gitops-common';
import type { CommandRecord } from '../commands/CommandStore';

/** One tenant's notices: when the last went out, and what waits for the next. */
interface TenantNotices {
  lastSentAt: number;
  pending?: ResourceChanges;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Announces changes on the gitops signal channel. Resource changes are coalesced: at most
 * one notice per tenant per interval, naming every cluster and entity changed since the
 * last (the first change after a quiet interval goes out at once). A failed publish never
 * fails a request.
 */
export class ChangePublisher {
  private readonly tenants = new Map<string, TenantNotices>();

  constructor(
    private readonly signals: SignalsService | undefined,
    private readonly logger: LoggerService,
    /** Real time, not the GitOps clock: it paces what browsers receive. */
    private readonly intervalMs: number,
  ) {}

  async resourcesChanged(
    tenant: string,
    changes: ResourceChanges,
  ): Promise<void> {
    const notices = this.tenants.get(tenant) ?? { lastSentAt: -Infinity };
    this.tenants.set(tenant, notices);
    notices.pending = notices.pending
      ? mergeResourceChanges(notices.pending, changes)
      : changes;
    if (notices.timer) {
      return;
    }
    const wait = notices.lastSentAt + this.intervalMs - Date.now();
    if (wait <= 0) {
      await this.sendPending(notices);
      return;
    }
    notices.timer = setTimeout(() => {
      notices.timer = undefined;
      this.sendPending(notices);
    }, wait);
    notices.timer.unref?.();
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
      [...this.tenants.values()].map(notices => {
        clearTimeout(notices.timer);
        notices.timer = undefined;
        return this.sendPending(notices);
      }),
    );
  }

  private async sendPending(notices: TenantNotices): Promise<void> {
    const changes = notices.pending;
    notices.pending = undefined;
    if (!changes) {
      return;
    }
    notices.lastSentAt = Date.now();
    await this.publish({ type: 'resources', ...changes });
  }

  private async publish(message: GitOpsSignal): Promise<void> {
    if (!this.signals) {
      return;
    }
    try {
      await this.signals.publish({
        recipients: { type: 'broadcast' },
        channel: GITOPS_SIGNAL_CHANNEL,
        message,
      });
    } catch (error) {
      this.logger.warn(`Could not publish ${message.type} signal: ${error}`);
    }
  }
}
