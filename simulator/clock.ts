// Injectable clock: tests move it forward to expire tokens, tickets, auth codes and sessions
// without waiting. Quota windows and stream timers deliberately use real time instead.

/** Wall clock with an adjustable offset. */
export class SimClock {
  private offsetMs = 0;

  /** Current simulated time in ms since the epoch. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the simulated time forward (never backward). */
  advance(ms: number): number {
    this.offsetMs += Math.max(0, ms);
    return this.now();
  }

  /** Returns to real time. */
  resetOffset(): void {
    this.offsetMs = 0;
  }
}

/** Day key in Asia/Shanghai (UTC+8, no DST), used for DingTalk's per-day limits. */
export function shanghaiDay(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}
