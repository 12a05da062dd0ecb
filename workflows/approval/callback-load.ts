// Card callbacks come first. DingTalk waits only briefly for a callback's answer, and the api
// process answering callbacks shares the CPU and Postgres with the worker deciding the clicks they
// accepted: a decision costs some fifty statements, an accepted click one. While callbacks arrive
// at CALLBACK_BUSY_RATE a second or more, the api marks them busy in Redis; approval.click jobs
// wait for the mark to lapse, each at most INBOUND_YIELD_MAX_MS after its click was queued, so a
// rush of clicks is answered at once and decided right after it (a long rush only delays the
// decisions: past the limit they go ahead whatever the load). Clickers see 「已收到…正在登记」
// meanwhile. bench:callbacks measures both sides.
import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Logger } from '../../core/logger';

/** How long one mark keeps callbacks busy: longer than a counting window, so marks overlap. */
const DEFAULT_HOLD_MS = 1_500;
/** The api renews the mark at most this often (one SET, not one per callback). */
const MARK_EVERY_MS = 250;
/** How often a waiting job looks at the mark. */
const POLL_MS = 200;

/** The Redis key of the mark, under the queue prefix (one per LeiGuard installation). */
export function callbackBusyKey(keyPrefix: string): string {
  return `${keyPrefix}callbacks:busy`;
}

export interface CallbackLoadOptions {
  /** Callbacks a second from which the api marks callbacks busy; 0 never marks. */
  busyRate: number;
  /** How long a mark lasts (default 1.5 s). */
  holdMs?: number;
}

/** The callback load of the installation: counted by the api, read by the worker. */
export class CallbackLoad {
  private second = 0;
  private count = 0;
  private markedAt = -Infinity;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly opts: CallbackLoadOptions,
    private readonly logger?: Logger,
  ) {}

  /** api: one card callback arrived. Synchronous for the caller; the mark is written in the background. */
  hit(now = Date.now()): void {
    if (this.opts.busyRate <= 0) return;
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.second = second;
      this.count = 0;
    }
    this.count++;
    if (this.count < this.opts.busyRate || now - this.markedAt < MARK_EVERY_MS) return;
    this.markedAt = now;
    this.redis
      .set(this.key, String(now), 'PX', this.opts.holdMs ?? DEFAULT_HOLD_MS)
      .catch((err: unknown) => this.logger?.warn({ err }, '无法记录卡片回调繁忙标记'));
  }

  /** worker: whether callbacks are busy now. */
  async busy(): Promise<boolean> {
    return (await this.redis.exists(this.key)) === 1;
  }
}

export interface YieldOutcome {
  /** How long the job waited, in ms (0: callbacks were not busy). */
  waitedMs: number;
  /** True when it stopped waiting because the limit was reached, not because callbacks calmed. */
  limitReached: boolean;
}

/**
 * Waits while callbacks are busy, until `queuedAt + maxMs` at the latest; returns at once on
 * `signal` (shutdown: the job decides and ends). `onWait` runs once when the waiting starts. A
 * Redis failure ends the wait: deciding matters more than yielding.
 */
export async function yieldToCallbacks(
  load: CallbackLoad,
  queuedAt: number,
  maxMs: number,
  opts: { signal?: AbortSignal; onWait?: () => Promise<unknown> } = {},
): Promise<YieldOutcome> {
  const { signal } = opts;
  const started = Date.now();
  const deadline = queuedAt + maxMs;
  let waited = false;
  const outcome = (limitReached: boolean): YieldOutcome => ({
    waitedMs: waited ? Date.now() - started : 0,
    limitReached,
  });
  for (;;) {
    if (signal?.aborted) return outcome(false);
    const busy = await load.busy().catch(() => false);
    if (!busy) return outcome(false);
    const left = deadline - Date.now();
    if (left <= 0) return outcome(true);
    if (!waited) await opts.onWait?.().catch(() => undefined);
    waited = true;
    // Rejects at once on abort; the loop's first line then ends the wait.
    await delay(Math.min(POLL_MS, left), undefined, { signal }).catch(() => undefined);
  }
}
