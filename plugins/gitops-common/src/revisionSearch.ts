/** A full or abbreviated commit SHA (git abbreviates to 7 hex digits at least). @public */
export const SHA_PREFIX = /^[0-9a-f]{7,64}$/i;

/**
 * How a searched revision matches stored ones, all lowercased: the revision itself; a tag or
 * branch before its `@sha1:`/`@sha256:` digest; and for a full or short SHA, a raw SHA
 * (ArgoCD) or the digest after `:` (Flux `main@sha1:<sha>`).
 * @public
 */
export function revisionSearchForms(query: string): {
  equals: string;
  startsWith: string[];
  contains: string[];
} {
  const q = query.toLowerCase();
  const sha = SHA_PREFIX.test(q);
  return {
    equals: q,
    startsWith: sha ? [`${q}@`, q] : [`${q}@`],
    contains: sha ? [`:${q}`] : [],
  };
}
