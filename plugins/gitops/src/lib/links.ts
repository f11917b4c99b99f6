/**
 * Turning untrusted strings from clusters (source URLs, revisions) into safe links.
 * Only http(s) URLs ever become an href: `javascript:`, `data:` and the like stay text.
 */

/** The URL when it is an absolute http(s) URL, else null. */
export function safeHttpUrl(raw: string | null | undefined): URL | null {
  if (!raw) {
    return null;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
}

/** Git hosting whose commit pages have a known address. */
export type GitHost = 'github' | 'gitlab' | 'bitbucket' | 'gitea';

/** A repository on a known host, as an https web address. */
export interface RepositoryWebAddress {
  host: GitHost;
  /** e.g. https://github.com/acme/shop, without `.git` or a trailing slash. */
  base: string;
}

const SCP_LIKE = /^[\w.-]+@([\w.-]+):([\w./~-]+)$/;

function detectHost(hostname: string): GitHost | null {
  const labels = hostname.toLowerCase().split('.');
  if (labels.includes('github')) {
    return 'github';
  }
  if (labels.includes('gitlab')) {
    return 'gitlab';
  }
  if (labels.includes('bitbucket')) {
    return 'bitbucket';
  }
  // Codeberg runs Forgejo, whose commit pages are Gitea's.
  if (labels.includes('gitea') || labels.includes('codeberg')) {
    return 'gitea';
  }
  return null;
}

/**
 * The web address of a GitHub, GitLab, Bitbucket or Gitea repository from its clone URL
 * (https, ssh:// or scp-like `git@host:owner/repo.git`), else null.
 */
export function repositoryWebAddress(
  cloneUrl: string | null | undefined,
): RepositoryWebAddress | null {
  if (!cloneUrl) {
    return null;
  }
  let hostname: string;
  let path: string;
  const scp = SCP_LIKE.exec(cloneUrl);
  if (scp) {
    hostname = scp[1];
    path = scp[2];
  } else {
    let url: URL;
    try {
      url = new URL(cloneUrl);
    } catch {
      return null;
    }
    if (!['http:', 'https:', 'ssh:', 'git+ssh:'].includes(url.protocol)) {
      return null;
    }
    hostname = url.hostname;
    path = url.pathname;
  }
  const host = detectHost(hostname);
  const segments = path
    .replace(/\.git\/?$/, '')
    .split('/')
    .filter(s => s.length > 0);
  if (!host || segments.length < 2) {
    return null;
  }
  // Built through URL so every path segment is encoded, whatever the input held.
  const web = new URL(`https://${hostname}`);
  web.pathname = segments.map(encodeURIComponent).join('/');
  return { host, base: web.toString().replace(/\/$/, '') };
}

const SHA1 = /^[0-9a-f]{40}$/i;

/** A revision as controllers write it, split into a ref and a commit SHA. */
export interface ParsedRevision {
  /** Branch or tag before `@`, if any (Flux: `main@sha1:<sha>`). */
  ref: string | null;
  /** Full commit SHA-1, when the revision names a commit. */
  sha: string | null;
  /** What to show: the ref with a 7-character SHA, or the revision itself. */
  display: string;
}

/** Parses ArgoCD (`<sha>`) and Flux (`main@sha1:<sha>`, `<sha>`) revisions. */
export function parseRevision(revision: string): ParsedRevision {
  const at = revision.lastIndexOf('@');
  const ref = at > 0 ? revision.slice(0, at) : null;
  const rest = at > 0 ? revision.slice(at + 1) : revision;
  const candidate = rest.startsWith('sha1:') ? rest.slice(5) : rest;
  if (SHA1.test(candidate)) {
    const short = candidate.slice(0, 7);
    return {
      ref,
      sha: candidate.toLowerCase(),
      display: ref ? `${ref}@${short}` : short,
    };
  }
  return { ref, sha: null, display: revision };
}

/** Commit page paths of each host, after the repository's web address. */
const COMMIT_PATH: Record<GitHost, string> = {
  github: 'commit',
  gitlab: '-/commit',
  bitbucket: 'commits',
  gitea: 'commit',
};

/** The commit page of a revision, for sources on a known host naming a commit. */
export function commitUrl(
  sourceUrl: string | null | undefined,
  revision: string | null | undefined,
): string | null {
  if (!revision) {
    return null;
  }
  const { sha } = parseRevision(revision);
  const repo = repositoryWebAddress(sourceUrl);
  if (!sha || !repo) {
    return null;
  }
  return `${repo.base}/${COMMIT_PATH[repo.host]}/${sha}`;
}
