const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const TERM = /(\d*)(?:\.(\d*))?([^\d.]+)/y;

/**
 * A Go duration (`time.ParseDuration`, as ArgoCD reads a window's `duration`: `1h`,
 * `1h30m`, `90m`, `1.5h`, `-1h`, `0`) in milliseconds; null when Go would refuse it.
 */
export function parseGoDuration(text: string): number | null {
  const sign = text.startsWith('-') ? -1 : 1;
  const rest = /^[-+]/.test(text) ? text.slice(1) : text;
  if (rest === '0') return 0;
  if (rest === '') return null;
  let total = 0;
  TERM.lastIndex = 0;
  while (TERM.lastIndex < rest.length) {
    const match = TERM.exec(rest);
    const unit = match && UNIT_MS[match[3]];
    if (!match || !unit || (match[1] === '' && !match[2])) return null;
    total += Number(`${match[1] || 0}.${match[2] || 0}`) * unit;
  }
  return sign * total;
}
