const compiled = new Map<string, RegExp | null>();
const MAX_CACHED_PATTERNS = 500;

const escape = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** A `[...]` class from `i` (just after `[`): its regex source and where it ends, or null. */
function charClass(pattern: string, i: number): [string, number] | null {
  let at = i;
  const negate = pattern[at] === '!';
  if (negate) at += 1;
  let body = '';
  for (; at < pattern.length && pattern[at] !== ']'; at++) {
    const c = pattern[at];
    if (pattern[at + 1] === '-' && pattern[at + 2] && pattern[at + 2] !== ']') {
      body += `${escape(c)}-${escape(pattern[at + 2])}`;
      at += 2;
    } else {
      body += escape(c === '\\' ? pattern[++at] ?? '' : c);
    }
  }
  if (at >= pattern.length || body === '') return null;
  return [`[${negate ? '^' : ''}${body}]`, at + 1];
}

/**
 * The regex source of a glob from `i` until `stop` (a `,` or `}` inside braces), and where
 * it stopped; null for a pattern gobwas/glob refuses (an unclosed `[` or `{`).
 */
function source(
  pattern: string,
  i: number,
  inBraces: boolean,
): [string, number] | null {
  let out = '';
  let at = i;
  while (at < pattern.length) {
    const c = pattern[at];
    if (inBraces && (c === ',' || c === '}')) return [out, at];
    if (c === '*') {
      out += '.*';
      at += 1;
    } else if (c === '?') {
      out += '.';
      at += 1;
    } else if (c === '\\') {
      out += escape(pattern[at + 1] ?? '\\');
      at += 2;
    } else if (c === '[') {
      const cls = charClass(pattern, at + 1);
      if (!cls) return null;
      [out, at] = [out + cls[0], cls[1]];
    } else if (c === '{') {
      const options: string[] = [];
      at += 1;
      for (;;) {
        const option = source(pattern, at, true);
        if (!option || option[1] >= pattern.length) return null;
        options.push(option[0]);
        at = option[1] + 1;
        if (pattern[option[1]] === '}') break;
      }
      out += `(?:${options.join('|')})`;
    } else {
      out += escape(c);
      at += 1;
    }
  }
  return inBraces ? null : [out, at];
}

function compile(pattern: string): RegExp | null {
  const parsed = source(pattern, 0, false);
  try {
    return parsed && new RegExp(`^${parsed[0]}$`, 's');
  } catch {
    // A range such as [z-a].
    return null;
  }
}

/**
 * Whether a name matches an ArgoCD sync window glob (gobwas/glob without separators: `*`,
 * `?`, `[a-z]`, `[!a]`, `{a,b}`, `\` escapes). An invalid pattern matches nothing.
 */
export function globMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    regex = compile(pattern);
    if (compiled.size >= MAX_CACHED_PATTERNS) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex !== null && regex.test(value);
}
