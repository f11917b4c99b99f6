import { DependencyList, useCallback, useEffect, useState } from 'react';

/** A query result that keeps the previous value while it reloads. */
export interface RefreshingQuery<T> {
  value?: T;
  error?: Error;
  loading: boolean;
  retry: () => void;
}

/**
 * Runs `load` whenever `deps` change. Unlike a plain async hook, the last value stays
 * on screen during a reload, so live updates do not flash a spinner.
 */
export function useRefreshingQuery<T>(
  load: () => Promise<T>,
  deps: DependencyList,
): RefreshingQuery<T> {
  const [state, setState] = useState<{
    value?: T;
    error?: Error;
    loading: boolean;
  }>({ loading: true });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setState(s => ({ ...s, loading: true }));
    load().then(
      value => {
        if (current) setState({ value, loading: false });
      },
      error => {
        if (current) setState(s => ({ value: s.value, error, loading: false }));
      },
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt]);

  const retry = useCallback(() => setAttempt(a => a + 1), []);
  return { ...state, retry };
}
