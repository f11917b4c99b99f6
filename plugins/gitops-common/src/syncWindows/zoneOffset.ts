const formats = new Map<string, Intl.DateTimeFormat | null>();
/** Distinct zones are few; the cap keeps junk zone names from growing the cache. */
const MAX_CACHED_ZONES = 200;

function formatOf(timeZone: string): Intl.DateTimeFormat | null {
  let format = formats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      format = null;
    }
    if (formats.size >= MAX_CACHED_ZONES) formats.clear();
    formats.set(timeZone, format);
  }
  return format;
}

/** Whether the IANA time zone is one this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  return formatOf(timeZone) !== null;
}

/**
 * The UTC offset of an IANA time zone at an instant, in milliseconds (east positive);
 * 0 for an unknown zone, which ArgoCD reads as UTC too.
 */
export function zoneOffsetMs(timeZone: string, at: number): number {
  const format = formatOf(timeZone);
  if (!format) return 0;
  const fields: Record<string, number> = {};
  for (const { type, value } of format.formatToParts(at)) {
    fields[type] = Number(value);
  }
  const wall = Date.UTC(
    fields.year,
    fields.month - 1,
    fields.day,
    fields.hour,
    fields.minute,
    fields.second,
  );
  return wall - Math.floor(at / 1000) * 1000;
}
