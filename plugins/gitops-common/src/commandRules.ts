import { clusterAgentOf, type ClusterView, type ResourceLink } from './api';
import { COMMAND_TYPE_LABELS, TOOL_LABELS } from './labels';
import { ENTITY_ANNOTATION, type GitOpsKind, type GitOpsTool } from './model';
import type { AgentCapabilities, CommandStatus, CommandType } from './protocol';

/** Statuses of a command that may still run. @public */
export const ACTIVE_COMMAND_STATUSES: readonly CommandStatus[] = [
  'queued',
  'delivered',
];

/** Statuses of a command that has ended. @public */
export const FINAL_COMMAND_STATUSES: readonly CommandStatus[] = [
  'succeeded',
  'failed',
  'expired',
];

const FINAL = new Set<CommandStatus>(FINAL_COMMAND_STATUSES);

/** True once a command has ended. @public */
export function isCommandFinal(status: CommandStatus): boolean {
  return FINAL.has(status);
}

/** Kinds a Sync applies to; the rest (GitRepository) can only be refreshed. @public */
export const SYNCABLE_KINDS: readonly GitOpsKind[] = [
  'Application',
  'Kustomization',
  'HelmRelease',
];

/**
 * Kinds Suspend and Resume apply to: every Flux kind has `spec.suspend`; an ArgoCD
 * Application has no suspend.
 * @public
 */
export const SUSPENDABLE_KINDS: readonly GitOpsKind[] = [
  'Kustomization',
  'HelmRelease',
  'GitRepository',
  'OCIRepository',
  'HelmRepository',
];

/** The agent capability each command type needs: Resume is the other half of Suspend. @public */
export const COMMAND_CAPABILITIES: Readonly<
  Record<CommandType, keyof AgentCapabilities>
> = {
  sync: 'sync',
  refresh: 'refresh',
  suspend: 'suspend',
  resume: 'suspend',
};

/**
 * The commands the portal offers on a resource, each then enabled or not by
 * {@link commandAvailability}: Sync and Refresh, and on a Flux object whose agent reports the
 * capability, Resume when it is suspended and Suspend when it is not.
 * @public
 */
export function offeredCommands(
  resource: { kind: GitOpsKind; tool: GitOpsTool; suspended: boolean },
  cluster: Pick<ClusterView, 'agents'> | undefined,
): CommandType[] {
  const offered: CommandType[] = ['sync', 'refresh'];
  if (
    SUSPENDABLE_KINDS.includes(resource.kind) &&
    clusterAgentOf(cluster, resource.tool)?.capabilities.suspend
  ) {
    offered.push(resource.suspended ? 'resume' : 'suspend');
  }
  return offered;
}

/** Whether a command may run, and why not when it may not. @public */
export type CommandAvailability =
  | { allowed: true; reason: null }
  | { allowed: false; reason: string };

/**
 * Whether commands run on resources linked only by name
 * (`gitops.commands.allowOnNameMatch`, default false): anyone who can register a catalog
 * entity can claim a name, so by default an annotation or a manual link is required.
 * @public
 */
export interface CommandLinkPolicy {
  allowOnNameMatch: boolean;
}

/** The config key of CommandLinkPolicy.allowOnNameMatch, read by the backend and the frontend. @public */
export const ALLOW_COMMANDS_ON_NAME_MATCH_KEY =
  'gitops.commands.allowOnNameMatch';

/**
 * Whether a command may run on a resource: its kind, how it is linked, and what the agent
 * of its cluster last reported. The backend answers 409 with the reason; the UI disables
 * the button with it.
 * @public
 */
export function commandAvailability(
  type: CommandType,
  resource: {
    cluster: string;
    kind: GitOpsKind;
    tool: GitOpsTool;
    link: Pick<ResourceLink, 'status'>;
  },
  cluster: Pick<ClusterView, 'name' | 'agents'> | undefined,
  policy: CommandLinkPolicy,
): CommandAvailability {
  const refuse = (reason: string): CommandAvailability => ({
    allowed: false,
    reason,
  });
  if (type === 'sync' && !SYNCABLE_KINDS.includes(resource.kind)) {
    return refuse(
      `Sync applies to Applications, Kustomizations and HelmReleases; use Refresh for a ${resource.kind}.`,
    );
  }
  if (
    COMMAND_CAPABILITIES[type] === 'suspend' &&
    !SUSPENDABLE_KINDS.includes(resource.kind)
  ) {
    return refuse(
      `An ArgoCD ${resource.kind} has no suspend: Suspend and Resume apply to Flux objects (turn off automated sync in ArgoCD instead).`,
    );
  }
  if (resource.link.status === 'name' && !policy.allowOnNameMatch) {
    return refuse(
      `Linked only by name, which any catalog entity of that name could claim: ${COMMAND_TYPE_LABELS[type]} needs the ${ENTITY_ANNOTATION} annotation or a manual link.`,
    );
  }
  if (!cluster) {
    return refuse(`No agent has reported for cluster ${resource.cluster}.`);
  }
  // Each tool's agent runs only its own tool's commands.
  const agent = clusterAgentOf(cluster, resource.tool);
  if (!agent) {
    return refuse(
      `Cluster ${cluster.name} is watched by a ${cluster.agents
        .map(a => TOOL_LABELS[a.tool])
        .join(' and a ')} agent, not ${TOOL_LABELS[resource.tool]}.`,
    );
  }
  if (agent.state === 'disconnected') {
    return refuse(
      `The ${TOOL_LABELS[agent.tool]} agent of cluster ${
        cluster.name
      } is disconnected, so it would not pick up the command.`,
    );
  }
  const { tool, capabilities } = agent;
  const capability = COMMAND_CAPABILITIES[type];
  if (!capabilities[capability]) {
    let why = `its agent cannot run ${type}`;
    if (tool === 'argocd') {
      why = 'its agent has no ArgoCD token';
    } else if (!capabilities.sync && !capabilities.refresh) {
      why = 'its agent runs without commands';
    } else if (capability === 'suspend') {
      // It runs Sync and Refresh: an agent from before Suspend and Resume.
      return refuse(
        `The ${TOOL_LABELS[tool]} agent of cluster ${cluster.name} does not offer Suspend and Resume; a newer agent version does.`,
      );
    }
    return refuse(`Cluster ${cluster.name} is read-only: ${why}.`);
  }
  return { allowed: true, reason: null };
}
