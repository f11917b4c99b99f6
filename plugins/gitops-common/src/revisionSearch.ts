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

/** Marks a search word as a revision that is not a SHA, such as a tag: `revision:v1.4.2`. @public */
export const REVISION_SEARCH_PREFIX = 'revision:';

/** What one search box asks for: free text, an applied revision, or both (ANDed). @public */
export interface SearchText {
  /** Free text: a substring of name, namespace or source URL. */
  q?: string;
  /** The applied revision, matched by revisionSearchForms. */
  revision?: string;
}

/**
 * Reads a search box: its first word that is a full or short SHA, or `revision:<tag>`, is the
 * revision; the other words are the free text. Without a revision word it is all free text.
 * @public
 */
export function parseSearchText(text: string): SearchText {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const index = words.findIndex(
    w =>
      SHA_PREFIX.test(w) ||
      (w.toLowerCase().startsWith(REVISION_SEARCH_PREFIX) &&
        w.length > REVISION_SEARCH_PREFIX.length),
  );
  if (index < 0) {
    return words.length ? { q: words.join(' ') } : {};
  }
  const word = words[index];
  const revision = SHA_PREFIX.test(word)
    ? word
    : word.slice(REVISION_SEARCH_PREFIX.length);
  const rest = words.filter((_, i) => i !== index).join(' ');
  return rest ? { revision, q: rest } : { revision };
}

/** The search box text that parseSearchText reads back as the same revision and free text. @public */
export function formatSearchText(search: SearchText): string {
  const revision =
    search.revision === undefined || SHA_PREFIX.test(search.revision)
      ? search.revision
      : `${REVISION_SEARCH_PREFIX}${search.revision}`;
  return [revision, search.q].filter(Boolean).join(' ');
}
