import { useEffect, useState } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  GITOPS_SIGNAL_CHANNEL,
  GitOpsSignal,
} from '@shoehorn/plugin-gitops-common';

/** How often views reload when the app has no signals plugin. */
export const POLL_INTERVAL_MS = 15_000;
/** Signals arrive in bursts (one per agent push); coalesce them into one reload. */
const SIGNAL_COALESCE_MS = 400;

/**
 * A counter that increases whenever GitOps data may have changed: on each matching
 * signal on `gitops:changes`, or on a timer where signals are not installed.
 */
export function useGitOpsChanges(
  isRelevant: (signal: GitOpsSignal) => boolean = () => true,
): number {
  const { lastSignal, isSignalsAvailable } = useSignal<GitOpsSignal>(
    GITOPS_SIGNAL_CHANNEL,
  );
  const [tick, setTick] = useState(0);

  const relevant = lastSignal ? isRelevant(lastSignal) : false;
  useEffect(() => {
    if (!lastSignal || !relevant) {
      return undefined;
    }
    const timer = setTimeout(() => setTick(t => t + 1), SIGNAL_COALESCE_MS);
    return () => clearTimeout(timer);
  }, [lastSignal, relevant]);

  useEffect(() => {
    if (isSignalsAvailable) {
      return undefined;
    }
    const timer = setInterval(() => setTick(t => t + 1), POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [isSignalsAvailable]);

  return tick;
}
