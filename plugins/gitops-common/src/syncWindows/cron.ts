/**
 * The 5-field cron schedules of ArgoCD sync windows, as ArgoCD parses them (robfig/cron v3
 * with minute, hour, day of month, month and day of week; no seconds, no `@daily`
 * descriptors): lists, ranges, steps, `*` and `?`, month and weekday names.
 */
export interface CronSchedule {
  minutes: readonly boolean[];
  hours: readonly boolean[];
  daysOfMonth: readonly boolean[];
  months: readonly boolean[];
  daysOfWeek: readonly boolean[];
  /** Day of month or of week was `*` or `?`: both must match, else either (robfig's dayMatches). */
  anyDay: boolean;
}

interface Bounds {
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTH_NAMES = 'jan feb mar apr may jun jul aug sep oct nov dec'.split(
  ' ',
);
const DAY_NAMES = 'sun mon tue wed thu fri sat'.split(' ');
const FIELDS: readonly Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTH_NAMES },
  { min: 0, max: 6, names: DAY_NAMES },
];
/** robfig gives up looking for the next time after five years. */
const YEAR_LIMIT = 5;

function number(text: string, bounds?: Bounds): number | null {
  const named = bounds?.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + bounds!.min;
  return /^\+?\d{1,9}$/.test(text) ? Number(text) : null;
}

/** One comma-separated part: `*`, `?`, `a`, `a-b`, each optionally `/step`; null when invalid. */
function part(
  text: string,
  bounds: Bounds,
  into: boolean[],
): { star: boolean } | null {
  const [range, stepText, extra] = text.split('/');
  const step = stepText === undefined ? 1 : number(stepText);
  if (extra !== undefined || step === null || step === 0) return null;
  const ends = range.split('-');
  let star = false;
  let low: number | null;
  let high: number | null;
  if (range === '*' || range === '?') {
    [low, high, star] = [bounds.min, bounds.max, step === 1];
  } else if (ends.length > 2) {
    return null;
  } else {
    low = number(ends[0], bounds);
    // "a/step" runs from a to the end of the field.
    high = stepText === undefined ? low : bounds.max;
    if (ends.length === 2) high = number(ends[1], bounds);
  }
  if (
    low === null ||
    high === null ||
    low < bounds.min ||
    high > bounds.max ||
    low > high
  ) {
    return null;
  }
  for (let value = low; value <= high; value += step) into[value] = true;
  return { star };
}

/** Parses a schedule; null when ArgoCD would refuse it. */
export function parseCron(schedule: string): CronSchedule | null {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== FIELDS.length) return null;
  const sets: boolean[][] = [];
  const stars: boolean[] = [];
  for (const [i, field] of fields.entries()) {
    const set: boolean[] = [];
    let star = false;
    for (const text of field.split(',')) {
      const parsed = part(text, FIELDS[i], set);
      if (!parsed) return null;
      star ||= parsed.star;
    }
    sets.push(set);
    stars.push(star);
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = sets;
  return {
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    anyDay: stars[2] || stars[4],
  };
}

function dayMatches(cron: CronSchedule, d: Date): boolean {
  const dom = !!cron.daysOfMonth[d.getUTCDate()];
  const dow = !!cron.daysOfWeek[d.getUTCDay()];
  return cron.anyDay ? dom && dow : dom || dow;
}

const utc = (...fields: [number, number, number?, number?]) =>
  new Date(Date.UTC(...fields));

/**
 * `d` when month, day, hour and minute all match; else the start of the next month, day,
 * hour or minute, by the first field that does not, as robfig's Next steps.
 */
function advance(cron: CronSchedule, d: Date): Date {
  const [year, month, day] = [
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
  ];
  if (!cron.months[month + 1]) return utc(year, month + 1, 1);
  if (!dayMatches(cron, d)) return utc(year, month, day + 1);
  if (!cron.hours[d.getUTCHours()])
    return utc(year, month, day, d.getUTCHours() + 1);
  if (!cron.minutes[d.getUTCMinutes()]) return new Date(d.getTime() + 60_000);
  return d;
}

/**
 * The first time the schedule fires strictly after `after` (epoch ms), reading fields in
 * UTC; null when it does not fire within five years (e.g. `0 0 30 2 *`).
 */
export function nextFire(cron: CronSchedule, after: number): number | null {
  // robfig starts at the next whole second; a fire is always on a whole minute.
  const start = Math.ceil((Math.floor(after / 1000) * 1000 + 1000) / 60_000);
  let d = new Date(start * 60_000);
  const limit = d.getUTCFullYear() + YEAR_LIMIT;
  for (;;) {
    const next = advance(cron, d);
    if (next === d) return d.getTime();
    if (next.getUTCFullYear() > limit) return null;
    d = next;
  }
}
