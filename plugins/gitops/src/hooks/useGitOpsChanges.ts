import { useEffect, useRef, useState } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  GITOPS_SIGNAL_CHANNEL,
  GitOpsSignal,
} from '@shoehorn/plugin-gitops-common';

/** How often views reload when the app has no signals plugin. */
export const POLL_INTERVAL_MS = 15_000;
/** Signals arrive in bursts; coalesce them into one reload. */
const SIGNAL_COALESCE_MS = 400;
/** Under a steady stream of signals a view still reloads at least this often. */
export const SIGNAL_MAX_WAIT_MS = 2_000;

/**
 * A counter that increases whenever GitOps data this view shows may have changed: on
 * signals on `gitops:changes` that `isRelevant` accepts (debounced, with a maximum wait),
 * or on a timer where signals are not installed.
 */
export function useGitOpsChanges(
  isRelevant: (signal: GitOpsSignal) => boolean = () => true,
): number {
  const { lastSignal, isSignalsAvailable } = useSignal<GitOpsSignal>(
    GITOPS_SIGNAL_CHANNEL,
  );
  const [tick, setTick] = useState(0);
  const relevance = useRef(isRelevant);
  relevance.current = isRelevant;
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const firstPendingAt = useRef<number>();

  // An irrelevant signal leaves a pending reload alone; a relevant one postpones it, up to the maximum wait.
  useEffect(() => {
    if (!lastSignal || !relevance.current(lastSignal)) {
      return;
    }
    const now = Date.now();
    firstPendingAt.current ??= now;
    clearTimeout(timer.current);
    const delay = Math.min(
      SIGNAL_COALESCE_MS,
      firstPendingAt.current + SIGNAL_MAX_WAIT_MS - now,
    );
    timer.current = setTimeout(() => {
      timer.current = undefined;
      firstPendingAt.current = undefined;
      setTick(t => t + 1);
    }, Math.max(0, delay));
  }, [lastSignal]);

  useEffect(() => () => clearTimeout(timer.current), []);

  useEffect(() => {
    if (isSignalsAvailable) {
      return undefined;
    }
    const interval = setInterval(() => setTick(t => t + 1), POLL_INTERVAL_MS);
    return () => clearInterval(interval);
  }, [isSignalsAvailable]);

  return tick;
}
