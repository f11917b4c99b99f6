/**
 * GitOps frontend plugin: the fleet page and the entity Operations tab.
 *
 * @packageDocumentation
 */
export {
  gitopsPlugin,
  GitOpsPage,
  EntityGitOpsContent,
  EntityGitOpsCard,
} from './plugin';
export { isGitOpsAvailable } from './isGitOpsAvailable';
export * from './api';
