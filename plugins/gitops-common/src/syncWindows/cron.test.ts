import { nextFire, parseCron } from './cron';

const at = (iso: string) => Date.parse(iso);
const next = (schedule: string, after: string) => {
  const cron = parseCron(schedule);
  if (!cron) throw new Error(`unparsable: ${schedule}`);
  const fire = nextFire(cron, at(after));
  return fire === null ? null : new Date(fire).toISOString();
};

describe('nextFire', () => {
  // 2026-03-02 is a Monday.
  it.each([
    ['0 22 * * *', '2026-03-02T21:59:59.999Z', '2026-03-02T22:00:00.000Z'],
    ['0 22 * * *', '2026-03-02T22:00:00.000Z', '2026-03-03T22:00:00.000Z'],
    ['0 22 * * *', '2026-03-02T22:00:00.500Z', '2026-03-03T22:00:00.000Z'],
    ['*/15 * * * *', '2026-03-02T10:07:00Z', '2026-03-02T10:15:00.000Z'],
    ['5-10/5 * * * *', '2026-03-02T10:06:00Z', '2026-03-02T10:10:00.000Z'],
    ['30/10 * * * *', '2026-03-02T10:55:00Z', '2026-03-02T11:30:00.000Z'],
    ['0 9,17 * * *', '2026-03-02T10:00:00Z', '2026-03-02T17:00:00.000Z'],
    ['0 9 * * 1-5', '2026-03-06T10:00:00Z', '2026-03-09T09:00:00.000Z'],
    ['0 9 * * MON-fri', '2026-03-06T10:00:00Z', '2026-03-09T09:00:00.000Z'],
    ['0 0 1 jan,JUL *', '2026-03-02T00:00:00Z', '2026-07-01T00:00:00.000Z'],
    ['0 0 ? * sun', '2026-03-02T00:00:00Z', '2026-03-08T00:00:00.000Z'],
    ['0 0 */2 * *', '2026-03-02T00:00:00Z', '2026-03-03T00:00:00.000Z'],
    // Day of month and of week both restricted: either matches (the 13th, or a Friday).
    ['0 0 13 * 5', '2026-03-01T00:00:00Z', '2026-03-06T00:00:00.000Z'],
    ['0 0 10 * 5', '2026-03-07T00:00:00Z', '2026-03-10T00:00:00.000Z'],
    // So 1-31 is every day, while `*` leaves the weekday alone to decide.
    ['0 0 1-31 * 5', '2026-03-02T00:00:00Z', '2026-03-03T00:00:00.000Z'],
    ['0 0 * * 5', '2026-03-02T00:00:00Z', '2026-03-06T00:00:00.000Z'],
    ['0 0 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['59 23 31 12 *', '2026-12-31T23:59:00Z', '2027-12-31T23:59:00.000Z'],
  ])('%s after %s: %s', (schedule, after, expected) => {
    expect(next(schedule, after)).toBe(expected);
  });

  it('gives up after five years, as ArgoCD does', () => {
    expect(next('0 0 30 2 *', '2026-03-01T00:00:00Z')).toBeNull();
  });
});

describe('parseCron', () => {
  it.each([
    ['', 'empty'],
    ['0 22 * *', 'four fields'],
    ['0 0 22 * * *', 'six fields (ArgoCD takes no seconds)'],
    ['@daily', 'descriptors'],
    ['60 * * * *', 'minute above 59'],
    ['0 24 * * *', 'hour above 23'],
    ['0 0 0 * *', 'day of month below 1'],
    ['0 0 * 13 *', 'month above 12'],
    ['0 0 * * 7', 'day of week above 6'],
    ['0 0 * * 5-1', 'a range that runs backwards'],
    ['*/0 * * * *', 'a step of 0'],
    ['1-2-3 * * * *', 'too many hyphens'],
    ['*/2/3 * * * *', 'too many slashes'],
    ['1,,2 * * * *', 'an empty list entry'],
    ['-1 * * * *', 'a negative number'],
    ['0 0 * foo *', 'an unknown name'],
  ])('refuses %j (%s)', schedule => {
    expect(parseCron(schedule)).toBeNull();
  });

  it('takes surrounding and repeated blanks', () => {
    expect(parseCron('  0   22 * *  * ')).not.toBeNull();
  });
});
