const RFC3339_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Whether a value is an RFC 3339 instant as Kubernetes writes them:
 * `2024-05-01T10:00:00Z`, with optional fractional seconds and a `Z` or `±hh:mm` offset.
 * Calendar-impossible dates (`2024-02-30`) and leap seconds are rejected.
 * @public
 */
export function isRfc3339Instant(value: unknown): value is string {
  if (typeof value !== 'string') {
    return false;
  }
  const m = RFC3339_INSTANT.exec(value);
  if (!m) {
    return false;
  }
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return false;
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return false;
  }
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) {
    return false;
  }
  return true;
}
