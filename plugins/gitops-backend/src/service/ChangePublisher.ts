import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  GITOPS_SIGNAL_CHANNEL,
  type GitOpsSignal,
} from '@shoehorn/plugin-gitops-common';
import type { CommandRecord } from '../commands/CommandStore';

/** Announces changes on the gitops signal channel; a failed publish never fails a request. */
export class ChangePublisher {
  constructor(
    private readonly signals: SignalsService | undefined,
    private readonly logger: LoggerService,
  ) {}

  async resourcesChanged(cluster: string): Promise<void> {
    await this.publish({ type: 'resources', cluster });
  }

  async commandChanged(command: CommandRecord): Promise<void> {
    await this.publish({
      type: 'command',
      commandId: command.id,
      resourceId: command.resourceId,
      status: command.status,
    });
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
