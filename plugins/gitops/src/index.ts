/**
 * GitOps frontend plugin: the fleet page and the entity Operations tab.
 *
 * @packageDocumentation
 */
export { gitopsPlugin, GitOpsPage, EntityGitOpsContent } from './plugin';
