import type { SyncWindow } from '../model';
import { blockingSyncWindow, describeSyncWindowBlock } from './evaluate';

const window = (
  kind: SyncWindow['kind'],
  schedule: string,
  duration: string,
  fields: Partial<SyncWindow> = {},
): SyncWindow => ({
  kind,
  schedule,
  duration,
  timeZone: 'UTC',
  manualSync: false,
  ...fields,
});

const nightlyDeny = window('deny', '0 22 * * *', '1h');
const officeHours = window('allow', '0 9 * * 1-5', '8h');

/** What the portal says at `now` for an automated sync, or null. */
function said(windows: SyncWindow[], now: string, manual = false) {
  const instant = Date.parse(now);
  const block = blockingSyncWindow(windows, instant, manual);
  return block && describeSyncWindowBlock(block, instant);
}

// 2026-03-02 is a Monday; Berlin is UTC+1 then and UTC+2 in July, New York UTC-5 in March.
describe('blockingSyncWindow', () => {
  it.each<[string, SyncWindow[], string, boolean, string | null]>([
    ['no windows', [], '2026-03-02T22:30:00Z', false, null],
    [
      'a deny window open',
      [nightlyDeny],
      '2026-03-02T22:30:00Z',
      false,
      'sync window deny `0 22 * * *` for 1h (until 23:00 UTC)',
    ],
    [
      'a deny window not open yet',
      [nightlyDeny],
      '2026-03-02T21:59:00Z',
      false,
      null,
    ],
    [
      'a deny window just closed',
      [nightlyDeny],
      '2026-03-02T23:00:00Z',
      false,
      null,
    ],
    [
      'allow windows, none open: the next opening',
      [officeHours],
      '2026-03-02T22:30:00Z',
      false,
      'outside sync window allow `0 9 * * 1-5` for 8h (opens 2026-03-03 09:00 UTC)',
    ],
    [
      'allow windows closed over the weekend',
      [officeHours],
      '2026-03-07T12:00:00Z',
      false,
      'outside sync window allow `0 9 * * 1-5` for 8h (opens 2026-03-09 09:00 UTC)',
    ],
    [
      'allow windows closed, opening later today',
      [officeHours],
      '2026-03-02T07:00:00Z',
      false,
      'outside sync window allow `0 9 * * 1-5` for 8h (opens 09:00 UTC)',
    ],
    [
      'of several allow windows the one opening first',
      [officeHours, window('allow', '0 6 * * *', '1h')],
      '2026-03-02T22:30:00Z',
      false,
      'outside sync window allow `0 6 * * *` for 1h (opens 2026-03-03 06:00 UTC)',
    ],
    [
      'an allow window open',
      [officeHours],
      '2026-03-02T10:00:00Z',
      false,
      null,
    ],
    [
      'one allow window open of several',
      [officeHours, window('allow', '0 6 * * *', '1h')],
      '2026-03-02T10:00:00Z',
      false,
      null,
    ],
    [
      'a deny window wins over an open allow window',
      [window('deny', '0 12 * * *', '30m'), officeHours],
      '2026-03-02T12:10:00Z',
      false,
      'sync window deny `0 12 * * *` for 30m (until 12:30 UTC)',
    ],
    [
      'of two open deny windows the one closing last',
      [nightlyDeny, window('deny', '0 20 * * *', '4h')],
      '2026-03-02T22:30:00Z',
      false,
      'sync window deny `0 20 * * *` for 4h (until 2026-03-03 00:00 UTC)',
    ],
    [
      'openings that overlap close with the last one',
      [window('deny', '0 22,23 * * *', '90m')],
      '2026-03-02T22:30:00Z',
      false,
      'sync window deny `0 22,23 * * *` for 90m (until 2026-03-03 00:30 UTC)',
    ],
    [
      'manualSync: an automated sync still waits, and is told a manual one may run',
      [window('deny', '0 22 * * *', '1h', { manualSync: true })],
      '2026-03-02T22:30:00Z',
      false,
      'sync window deny `0 22 * * *` for 1h (until 23:00 UTC); manual syncs may run',
    ],
    [
      'manualSync: a manual sync runs',
      [window('deny', '0 22 * * *', '1h', { manualSync: true })],
      '2026-03-02T22:30:00Z',
      true,
      null,
    ],
    [
      'manual sync held by the open deny window without manualSync',
      [window('deny', '0 20 * * *', '4h', { manualSync: true }), nightlyDeny],
      '2026-03-02T22:30:00Z',
      true,
      'sync window deny `0 22 * * *` for 1h (until 23:00 UTC)',
    ],
    [
      'a manual sync outside allow windows that all allow manual syncs',
      [window('allow', '0 9 * * 1-5', '8h', { manualSync: true })],
      '2026-03-02T22:30:00Z',
      true,
      null,
    ],
    [
      'a manual sync outside allow windows without manualSync',
      [officeHours],
      '2026-03-02T22:30:00Z',
      true,
      'outside sync window allow `0 9 * * 1-5` for 8h (opens 2026-03-03 09:00 UTC)',
    ],
    [
      'time zone: 22:00 in Berlin is 21:00 UTC in winter',
      [window('deny', '0 22 * * *', '1h', { timeZone: 'Europe/Berlin' })],
      '2026-03-02T21:30:00Z',
      false,
      'sync window deny `0 22 * * *` for 1h (until 23:00 Europe/Berlin)',
    ],
    [
      'time zone: closed in Berlin at 22:30 UTC',
      [window('deny', '0 22 * * *', '1h', { timeZone: 'Europe/Berlin' })],
      '2026-03-02T22:30:00Z',
      false,
      null,
    ],
    [
      'time zone: 22:00 in Berlin is 20:00 UTC in summer',
      [window('deny', '0 22 * * *', '1h', { timeZone: 'Europe/Berlin' })],
      '2026-07-01T20:15:00Z',
      false,
      'sync window deny `0 22 * * *` for 1h (until 23:00 Europe/Berlin)',
    ],
    [
      'time zone: New York, on the previous day of UTC',
      [window('deny', '0 22 * * *', '2h', { timeZone: 'America/New_York' })],
      '2026-03-03T03:30:00Z',
      false,
      'sync window deny `0 22 * * *` for 2h (until 2026-03-03 00:00 America/New_York)',
    ],
    [
      'an unknown time zone is read as UTC, as ArgoCD does',
      [window('deny', '0 22 * * *', '1h', { timeZone: 'Mars/Olympus' })],
      '2026-03-02T22:30:00Z',
      false,
      'sync window deny `0 22 * * *` for 1h (until 23:00 UTC)',
    ],
    [
      'a window ArgoCD cannot parse is passed over',
      [window('deny', 'at ten', '1h'), window('deny', '0 22 * * *', 'an hour')],
      '2026-03-02T22:30:00Z',
      false,
      null,
    ],
  ])('%s', (_label, windows, now, manual, expected) => {
    expect(said(windows, now, manual)).toBe(expected);
  });

  it('says when the deny window closes as an instant', () => {
    expect(
      blockingSyncWindow(
        [nightlyDeny],
        Date.parse('2026-03-02T22:30:00Z'),
        false,
      ),
    ).toEqual({
      window: nightlyDeny,
      until: Date.parse('2026-03-02T23:00:00Z'),
      manualSyncAllowed: false,
    });
  });
});
