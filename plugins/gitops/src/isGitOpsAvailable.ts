import type { Entity } from '@backstage/catalog-model';

const DEPLOYABLE_KINDS = new Set(['component', 'resource', 'system']);

/**
 * Whether an entity gets the Operations tab and the GitOps card. Links are made
 * from the resources' side (annotation or name match, or by hand), so every
 * deployable entity may have some; the tab explains how to link when none are.
 * @public
 */
export function isGitOpsAvailable(entity: Entity): boolean {
  return DEPLOYABLE_KINDS.has(entity.kind.toLocaleLowerCase('en-US'));
}
