// Calls-per-second limiter per DingTalk API, shared by every process through Redis.
//
// A sliding-window log of reservations: one ZSET per API holds the reserved call slots (Redis
// TIME, microseconds). A caller gets the earliest slot that keeps every window of length W at or
// under the limit, and grants are spaced (at most `burst` per window/limit × burst), so that
// network jitter between our slot and DingTalk's count cannot bunch a window's calls together:
// the same sliding count DingTalk (and the simulator) apply, whichever process asked. Slots
// follow from the slots already reserved, not from when a caller happened to wake, so timer
// overshoot does not accumulate into lost throughput; an unused slot is handed back.
// DingTalk doc: https://open.dingtalk.com/document/development/how-to-process-api-throttling-on-the-dingtalk-server
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Atomic reservation. ARGV: limit, window (µs), member, burst, span (µs), horizon (µs). Finds the
 * earliest slot at or after now such that no window of `window` holds more than `limit` slots and
 * no window of `span` more than `burst`, and records it. Slots are computed from the slots
 * already reserved, not from when a caller asked, so a caller that wakes a little late does not
 * push every later slot back (the drift a plain check-and-grant accumulates). Returns
 * {1, slotUs, nowUs}; or {0, waitUs} when the slot would lie beyond the horizon (ask again later).
 */
const ACQUIRE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local burst = tonumber(ARGV[4])
local span = tonumber(ARGV[5])
local horizon = tonumber(ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%d', now - window))
local n = redis.call('ZCARD', KEYS[1])
local slot = now
if n >= limit then
  local e = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
  slot = math.max(slot, tonumber(e[2]) + window + 1)
end
if burst < limit and n >= burst then
  local e = redis.call('ZRANGE', KEYS[1], n - burst, n - burst, 'WITHSCORES')
  slot = math.max(slot, tonumber(e[2]) + span + 1)
end
if slot - now > horizon then
  return {0, slot - now - horizon}
end
redis.call('ZADD', KEYS[1], string.format('%d', slot), ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil((window + slot - now) / 1000) + 1000)
return {1, slot, now}
`;
const ACQUIRE_SHA = createHash('sha1').update(ACQUIRE_LUA).digest('hex');

/** Options of a QuotaLimiter. */
export interface QuotaLimiterOptions {
  redis: Redis;
  /** Key prefix; include the app key so that two apps never share a quota. */
  keyPrefix: string;
  /** Default calls per second per API (DINGTALK_QPS). */
  qps: number;
  /** Per-API calls per second (DINGTALK_QPS_OVERRIDES), keyed by the stable API names. */
  overrides?: Readonly<Record<string, number>>;
  /** Fraction of the configured rate actually used, 0 < safety ≤ 1 (default 0.95). */
  safety?: number;
  /**
   * Milliseconds added to each window (default 0). DingTalk counts calls when they arrive, so two
   * calls a window apart here may land closer together there; a margin of a few tens of
   * milliseconds absorbs that jitter at a far smaller cost than a lower `safety`.
   */
  marginMs?: number;
  /**
   * Grants allowed back to back (default 1: evenly spaced, window/limit apart). Spacing keeps
   * DingTalk's own sliding count under the limit despite network jitter; `burst = limit`
   * allows a whole window's grants at once.
   */
  burst?: number;
  /** Upper bound of the random delay added to each wait, spreading competing processes (ms). */
  jitterMs?: number;
}

/** The window one API is limited over. */
export interface QuotaWindow {
  /** Grants allowed in any window of `windowMs`. */
  limit: number;
  windowMs: number;
  /** Grants allowed in any `spanMs` (spacing); `burst >= limit` disables spacing. */
  burst: number;
  spanMs: number;
}

/**
 * Limit and window for a rate: `floor(qps × safety)` per second, or 1 per longer window when
 * that is below one (e.g. 0.5/s → 1 per 2 s), so the rate is never rounded up.
 */
export function quotaWindow(qps: number, safety = 0.95, burst = 1, marginMs = 0): QuotaWindow {
  if (!(qps > 0) || !(safety > 0 && safety <= 1) || !(burst >= 1) || !(marginMs >= 0)) {
    throw new RangeError(`bad quota: qps=${qps} safety=${safety} burst=${burst}`);
  }
  const rate = qps * safety;
  // Guard against 18.999999 from float multiplication (20 × 0.95 must give 19).
  const floored = Math.floor(rate + 1e-9);
  const limit = Math.max(1, floored);
  const windowMs = (floored >= 1 ? 1000 : Math.ceil(1000 / rate)) + marginMs;
  const b = Math.min(Math.floor(burst), limit);
  return { limit, windowMs, burst: b, spanMs: (windowMs * b) / limit };
}

/** Microsecond wait returned by the script → milliseconds to sleep, jitter added. */
export function waitMs(waitUs: number, jitterMs: number, random: () => number = Math.random): number {
  return Math.max(1, Math.ceil(waitUs / 1000)) + Math.floor(random() * (jitterMs + 1));
}

interface Waiter {
  signal?: AbortSignal;
  resolve(grantedAtMs: number): void;
  reject(err: unknown): void;
  onAbort?: () => void;
}

/** Keeps calls to each DingTalk API under its configured rate, across processes. */
export class QuotaLimiter {
  private readonly redis: Redis;
  private readonly keyPrefix: string;
  private readonly qps: number;
  private readonly overrides: Readonly<Record<string, number>>;
  private readonly safety: number;
  private readonly marginMs: number;
  /** A caller woken later than this after its slot takes a fresh one: only lateness beyond the margin can push a call into a later window at DingTalk (≥ 5 ms). */
  private readonly lateMs: number;
  private readonly jitterMs: number;
  private readonly burst: number;
  /** FIFO of waiters per API: only the head asks Redis, so one process is fair to itself. */
  private readonly queues = new Map<string, Waiter[]>();
  private readonly wakers = new Map<string, () => void>();
  private seq = 0;
  private readonly id = randomBytes(6).toString('hex');

  constructor(opts: QuotaLimiterOptions) {
    this.redis = opts.redis;
    this.keyPrefix = opts.keyPrefix;
    this.qps = opts.qps;
    this.overrides = opts.overrides ?? {};
    this.safety = opts.safety ?? 0.95;
    this.marginMs = opts.marginMs ?? 0;
    this.lateMs = Math.max(5, this.marginMs);
    this.jitterMs = opts.jitterMs ?? 1;
    this.burst = opts.burst ?? 1;
    quotaWindow(this.qps, this.safety, this.burst, this.marginMs); // validate now, not at the first call
  }

  /** The window applied to one API. */
  windowFor(api: string): QuotaWindow {
    return quotaWindow(this.overrides[api] ?? this.qps, this.safety, this.burst, this.marginMs);
  }

  /**
   * Waits until a call to `api` is allowed and records it. Resolves with the grant time
   * (Redis clock, ms); rejects with `signal.reason` when aborted first.
   */
  acquire(api: string, opts: { signal?: AbortSignal } = {}): Promise<number> {
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<number>((resolve, reject) => {
      const queue = this.queues.get(api) ?? [];
      const waiter: Waiter = { signal, resolve, reject };
      if (signal) {
        waiter.onAbort = () => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          reject(signal.reason);
          if (i === 0) this.wakers.get(api)?.(); // let the next waiter ask now
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      queue.push(waiter);
      if (!this.queues.has(api)) {
        this.queues.set(api, queue);
        void this.pump(api, queue);
      }
    });
  }

  /** Serves one API's queue until it is empty. */
  private async pump(api: string, queue: Waiter[]): Promise<void> {
    const key = `${this.keyPrefix}quota:${api}`;
    try {
      while (queue.length > 0) {
        const head = queue[0];
        let w: QuotaWindow;
        let reply: [number, number, number?];
        let member: string;
        try {
          w = this.windowFor(api);
          member = `${this.id}:${++this.seq}`;
          reply = await this.runScript(key, [w.limit, w.windowMs * 1000, member, w.burst, Math.ceil(w.spanMs * 1000), w.windowMs * 1000]);
        } catch (err) {
          // Redis failed: fail this waiter (the call fails and is retried by its queue).
          if (queue[0] === head) queue.shift();
          this.settle(head, () => head.reject(err));
          continue;
        }
        const [granted, value, nowUs] = reply;
        if (granted === 1) {
          // A reserved slot: wait until it comes (Redis clock), then let the call go.
          const ahead = Math.ceil((value - (nowUs ?? value)) / 1000);
          const due = Date.now() + ahead;
          if (ahead > 0) await this.sleep(api, ahead);
          // Woken well after the slot (a busy event loop): a call sent now could land in a later
          // window at DingTalk. Hand the slot back and take a fresh one rather than risk it.
          if (queue[0] === head && Date.now() - due > this.lateMs) {
            await this.redis.zrem(key, member).catch(() => undefined);
            continue;
          }
          if (queue[0] === head) {
            queue.shift();
            this.settle(head, () => head.resolve(value / 1000));
          } else {
            // The head gave up before its slot: hand the slot back for the next caller.
            await this.redis.zrem(key, member).catch(() => undefined);
          }
          continue;
        }
        await this.sleep(api, Math.min(waitMs(value, this.jitterMs), w.windowMs + this.jitterMs));
      }
    } finally {
      this.queues.delete(api);
      // A waiter may have arrived between the last check and the delete.
      if (queue.length > 0) {
        this.queues.set(api, queue);
        void this.pump(api, queue);
      }
    }
  }

  private settle(w: Waiter, fn: () => void): void {
    if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
    fn();
  }

  private sleep(api: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(api);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.set(api, done);
    });
  }

  private async runScript(key: string, args: Array<string | number>): Promise<[number, number, number?]> {
    try {
      return (await this.redis.evalsha(ACQUIRE_SHA, 1, key, ...args)) as [number, number, number?];
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
      return (await this.redis.eval(ACQUIRE_LUA, 1, key, ...args)) as [number, number, number?];
    }
  }
}
