/** Jittered exponential backoff: each failure doubles the delay, capped; success resets it. */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt, after one more failure. */
  next(): number {
    const base = Math.min(
      this.maxMs,
      this.minMs * 2 ** Math.min(this.failures, 30),
    );
    this.failures += 1;
    // "Equal jitter": at least half the base, so retries never collapse to zero.
    return Math.round(base / 2 + (base / 2) * this.random());
  }

  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}

/** Resolves after `ms`, or early when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}

/** A wake-up signal for a loop that otherwise sleeps until a deadline. */
export class Wakeup {
  private waiter?: () => void;
  private pending = false;

  /** Wakes the loop now (or its next wait, if it is not waiting). */
  wake(): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w();
    } else {
      this.pending = true;
    }
  }

  /** Waits up to `ms` or until woken. */
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve();
      }, Math.max(0, ms));
      this.waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
