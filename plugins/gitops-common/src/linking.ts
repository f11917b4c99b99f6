/**
 * Catalog entity kinds a GitOps resource may be linked to, automatically or by hand;
 * exactly these kinds get the Operations tab. API is one: a name match links a
 * deployed API service's resources to its API entity.
 * @public
 */
export const LINKABLE_KINDS = [
  'Component',
  'System',
  'Resource',
  'API',
] as const;

const LINKABLE = new Set<string>(LINKABLE_KINDS.map(k => k.toLowerCase()));

/** Whether entities of this kind (any letter case) can be linked. @public */
export function isLinkableKind(kind: string): boolean {
  return LINKABLE.has(kind.toLowerCase());
}
