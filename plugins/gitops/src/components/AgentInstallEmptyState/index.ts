export { AgentInstallEmptyState } from './AgentInstallEmptyState';
