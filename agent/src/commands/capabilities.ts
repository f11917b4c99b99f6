import type {
  AgentCapabilities,
  GitOpsTool,
} from '@shoehorn/plugin-gitops-common';

/** The capabilities an agent of `tool` reports, running commands or not. */
export function toolCapabilities(
  tool: GitOpsTool,
  commands: boolean,
): AgentCapabilities {
  // Suspend sets spec.suspend of a Flux object; ArgoCD has no suspend.
  return {
    sync: commands,
    refresh: commands,
    suspend: commands && tool === 'fluxcd',
  };
}
