import type { SyncWindow } from '../model';
import { nextFire, parseCron } from './cron';
import { parseGoDuration } from './duration';
import { isKnownTimeZone, zoneOffsetMs } from './zoneOffset';

/** Why ArgoCD holds a sync at one instant. @public */
export interface SyncWindowBlock {
  /** An open deny window, or (no allow window being open) the allow window that opens first. */
  window: SyncWindow;
  /** When that deny window closes or that allow window opens (epoch ms); null: not in five years. */
  until: number | null;
  /** Whether a manual sync may run all the same. */
  manualSyncAllowed: boolean;
}

interface WindowState {
  window: SyncWindow;
  active: boolean;
  /** When it closes while active, else when it opens next (epoch ms). */
  until: number | null;
}

/** Openings that overlap are followed this far to find when a window really closes. */
const MAX_CHAINED_OPENINGS = 1440;

/**
 * Whether a window is open, as ArgoCD decides it: the schedule is read in UTC shifted by the
 * zone's current offset, and the window is open when it fired less than `duration` ago.
 * Null for a schedule or duration ArgoCD cannot parse: skipped, as nothing can be said of it.
 */
function stateOf(window: SyncWindow, now: number): WindowState | null {
  const cron = parseCron(window.schedule);
  const duration = parseGoDuration(window.duration);
  if (!cron || duration === null) return null;
  const offset = zoneOffsetMs(window.timeZone, now);
  const shifted = now + offset;
  const opened = nextFire(cron, shifted - duration);
  if (opened === null || opened >= shifted) {
    return {
      window,
      active: false,
      until: opened === null ? null : opened - offset,
    };
  }
  let closes = opened + duration;
  for (let fire = opened, i = 0; i < MAX_CHAINED_OPENINGS; i++) {
    const next = nextFire(cron, fire);
    if (next === null || next >= closes) break;
    [fire, closes] = [next, Math.max(closes, next + duration)];
  }
  return { window, active: true, until: closes - offset };
}

const byUntil = (a: WindowState, b: WindowState) =>
  (a.until ?? Infinity) - (b.until ?? Infinity);

function blockOf(
  state: WindowState,
  manualSyncAllowed: boolean,
): SyncWindowBlock {
  return { window: state.window, until: state.until, manualSyncAllowed };
}

/**
 * The sync window that keeps an Application from syncing at `now` (epoch ms), by ArgoCD's
 * rule (`SyncWindows.CanSync`): an open deny window blocks; else, when the app has allow
 * windows, none of them open blocks. A window with `manualSync` lets a manual sync through
 * when every blocking window has it. Null: nothing holds the sync.
 * @param manual - whether the sync in question is a manual one (else automated)
 * @public
 */
export function blockingSyncWindow(
  windows: readonly SyncWindow[],
  now: number,
  manual: boolean,
): SyncWindowBlock | null {
  const states = windows.flatMap(w => stateOf(w, now) ?? []);
  const denies = states.filter(s => s.active && s.window.kind === 'deny');
  if (denies.length) {
    const manualSyncAllowed = denies.every(s => s.window.manualSync);
    if (manual && manualSyncAllowed) return null;
    const blocking = denies.filter(s => !manual || !s.window.manualSync);
    // The one that closes last says when the sync can run.
    return blockOf(
      blocking.sort(byUntil)[blocking.length - 1],
      manualSyncAllowed,
    );
  }
  const allows = states.filter(s => s.window.kind === 'allow');
  if (!allows.length || allows.some(s => s.active)) return null;
  const manualSyncAllowed = allows.every(s => s.window.manualSync);
  if (manual && manualSyncAllowed) return null;
  return blockOf(allows.sort(byUntil)[0], manualSyncAllowed);
}

/** `23:00`, or `2026-03-02 23:00` when not on the day of `now`, on the zone's clock. */
function wallClock(at: number, now: number, offset: number): string {
  const [date, time] = new Date(at + offset).toISOString().split('T');
  const today = new Date(now + offset).toISOString().split('T')[0];
  return date === today ? time.slice(0, 5) : `${date} ${time.slice(0, 5)}`;
}

/**
 * The sentence the portal shows: "sync window deny `0 22 * * *` for 1h (until 23:00 UTC)",
 * or "outside sync window allow `0 9 * * 1-5` for 8h (opens 09:00 Europe/Berlin)".
 * @public
 */
export function describeSyncWindowBlock(
  block: SyncWindowBlock,
  now: number,
): string {
  const { window, until } = block;
  const zone = isKnownTimeZone(window.timeZone) ? window.timeZone : 'UTC';
  const deny = window.kind === 'deny';
  const what = `sync window ${window.kind} \`${window.schedule}\` for ${window.duration}`;
  const when =
    until === null
      ? ''
      : ` (${deny ? 'until' : 'opens'} ${wallClock(
          until,
          now,
          zoneOffsetMs(zone, now),
        )} ${zone})`;
  const manual = block.manualSyncAllowed ? '; manual syncs may run' : '';
  return `${deny ? '' : 'outside '}${what}${when}${manual}`;
}
