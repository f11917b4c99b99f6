import type {
  AgentCommand,
  GitOpsCommandView,
} from '@shoehorn/plugin-gitops-common';
import type { CommandRecord } from './CommandStore';

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function toCommandView(command: CommandRecord): GitOpsCommandView {
  return {
    id: command.id,
    resourceId: command.resourceId,
    type: command.type,
    hard: command.hard,
    status: command.status,
    requestedBy: command.requestedBy,
    requestedAt: new Date(command.requestedAt).toISOString(),
    deliveredAt: iso(command.deliveredAt),
    finishedAt: iso(command.finishedAt),
    expiresAt: new Date(command.expiresAt).toISOString(),
    message: command.message,
  };
}

export function toAgentCommand(command: CommandRecord): AgentCommand {
  return {
    id: command.id,
    type: command.type,
    hard: command.hard,
    resource: command.resource,
    expiresAt: new Date(command.expiresAt).toISOString(),
  };
}
