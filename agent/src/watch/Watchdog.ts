/**
 * Calls `bark` once the last sign of life (`lastSeen`) is older than `ms`; `lastSeen`
 * answers undefined while silence is expected (asleep between retries, or stopped).
 */
export class Watchdog {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly ms: number,
    private readonly lastSeen: () => number | undefined,
    private readonly bark: () => void,
  ) {}

  start(): void {
    this.stop();
    // A few checks per period, so it barks soon after the limit, never more often than 50ms.
    const period = Math.max(50, Math.min(5000, Math.floor(this.ms / 4)));
    this.timer = setInterval(() => {
      const seen = this.lastSeen();
      if (seen !== undefined && Date.now() - seen > this.ms) this.bark();
    }, period);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
