import type { Entity } from '@backstage/catalog-model';
import { isLinkableKind } from '@shoehorn/plugin-gitops-common';

/**
 * Whether an entity gets the Operations tab and the GitOps card. Links are made
 * from the resources' side (annotation or name match, or by hand), so every
 * linkable entity may have some; the tab explains how to link when none are.
 * @public
 */
export function isGitOpsAvailable(entity: Entity): boolean {
  return isLinkableKind(entity.kind);
}
