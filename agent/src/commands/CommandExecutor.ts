import type {
  AgentCommand,
  CommandResult,
} from '@shoehorn/plugin-gitops-common';

/** Runs one command against the GitOps tool and says how it ended, in the tool's words. */
export interface CommandExecutor {
  execute(command: AgentCommand): Promise<CommandResult>;
}

/** The executor of an agent without write access: refuses every command. */
export const readOnlyExecutor: CommandExecutor = {
  async execute(command) {
    return {
      status: 'failed',
      message: `this agent is read-only and did not run ${command.type}: it has no credentials to change ${command.resource.kind} objects`,
    };
  },
};

/** Caps a message at the result schema's limit. */
export function clip(message: string, max = 10_000): string {
  return message.length <= max ? message : `${message.slice(0, max - 1)}…`;
}
