// Calls-per-second limiter per DingTalk API, shared by every process through Redis.
//
// A sliding-window log: one ZSET per API holds, for each call, a time no earlier than when the
// call can have reached DingTalk (Redis clock, microseconds). A caller gets the earliest slot that
// keeps every window of length W at or under the limit, and grants are spaced (at most `burst`
// per window/limit × burst, tracked in a second ZSET of the slots themselves), so the calls of a
// window do not bunch together. DingTalk (and the simulator) count a call when it arrives, which
// can be well after its slot when the event loop is busy or the network slow; so a call made
// through `run()` re-records its entry at its completion time once it returns (arrival ≤
// completion). A late call then pushes the slot of the call a window later instead of colliding
// with it at DingTalk, and the window needs no safety margin: a call is never sent before its slot
// and the next window's slot follows the last known arrival bound. An unused slot is handed back.
// The configured rate is a ceiling, not a fact (#19): DingTalk may enforce less. A quota refusal
// (403 QpsLimitForAppkeyAndApi / QpsLimitForApi, errcode 90018 / 90002) lowers that API's rate for
// every process sharing the limiter (multiplicative decrease, at most once per window, to what
// DingTalk accepted in the last second), and successes raise it again slowly (additive increase,
// slowest near the rate DingTalk last refused, back to the ceiling). The refused call is not
// counted (DingTalk does not count it either) and waits for its next slot under the new rate, so a
// refusal never fails the call that met it. Rationale of AIMD: RFC 5681 §3.1 (TCP congestion
// avoidance), the same problem of finding an unknown shared capacity from refusals alone.
// DingTalk doc: https://open.dingtalk.com/document/development/how-to-process-api-throttling-on-the-dingtalk-server
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Atomic reservation. KEYS: window log, slot log, learned rate (hash). ARGV: limit, window (µs),
 * member, burst, span (µs), horizon (µs), ceiling (calls/s), margin (µs). A learned rate below the
 * ceiling replaces the configured window: `floor(2 × rate)` calls (at least 1) per `limit/rate` s,
 * so a rate of 4.75/s is kept as such, not rounded to 4; the grants stay spaced `1/rate` apart, and
 * the two-second window lets a call's latency (entries move to completion) cost half what it would
 * over one second. Finds the earliest slot at or after now (and
 * after a penalty pause) such that no window of `window` holds more than `limit` entries of the
 * window log (arrival bounds) and no window of `span` more than `burst` slots, and records it in
 * both. Slots are computed from what is already recorded, not from when a caller asked, so a
 * caller that wakes a little late does not push every later slot back. Returns
 * {1, slotUs, nowUs, windowUs}; or {0, waitUs} when the slot would lie beyond the horizon.
 */
const ACQUIRE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local burst = tonumber(ARGV[4])
local span = tonumber(ARGV[5])
local horizon = tonumber(ARGV[6])
local learned = redis.call('HMGET', KEYS[3], 'rate', 'pause')
local r = tonumber(learned[1])
if r and r < tonumber(ARGV[7]) then
  limit = math.max(1, math.floor(2 * r + 1e-9))
  window = math.ceil(1000000 * limit / r) + tonumber(ARGV[8])
  burst = math.min(burst, limit)
  span = math.ceil(window * burst / limit)
  horizon = window
end
-- Entries are kept a second at least: a refusal estimates DingTalk's rate from the last second.
local cut = '(' .. string.format('%d', now - math.max(window, 1000000))
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', cut)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', cut)
local n = redis.call('ZCARD', KEYS[1])
local slot = now
local pause = tonumber(learned[2])
if pause and pause > slot then slot = pause end
if n >= limit then
  local e = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
  slot = math.max(slot, tonumber(e[2]) + window + 1)
end
local m = redis.call('ZCARD', KEYS[2])
if burst < limit and m >= burst then
  local e = redis.call('ZRANGE', KEYS[2], m - burst, m - burst, 'WITHSCORES')
  slot = math.max(slot, tonumber(e[2]) + span + 1)
end
if slot - now > horizon then
  return {0, slot - now - horizon}
end
local ttl = math.ceil((window + slot - now) / 1000) + 1000
for i = 1, 2 do
  redis.call('ZADD', KEYS[i], string.format('%d', slot), ARGV[3])
  redis.call('PEXPIRE', KEYS[i], ttl)
end
return {1, slot, now, window}
`;
const ACQUIRE_SHA = createHash('sha1').update(ACQUIRE_LUA).digest('hex');

/**
 * A call came back: raise its entry in the window log to `at` (µs, Redis clock; the earlier of
 * Redis' own clock and the caller's converted completion time, both no earlier than the call's
 * arrival at DingTalk). Re-adds an entry already trimmed (a call slower than a window); never
 * lowers one. A success raises a learned rate by `alpha / rate` (so by about `alpha` per second
 * of successes, whichever process makes them): slowly (`slow` × that rate, at least 0.01/s) within
 * 0.85-1.1 × the rate DingTalk last accepted, `fast` per second elsewhere; at the ceiling the
 * learned rate is dropped. KEYS: window log, learned rate. ARGV: member, at (µs), window (µs),
 * success (1/0), ceiling, slow (fraction), fast (calls/s per s), rate TTL (ms).
 */
const COMPLETE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
if ARGV[4] == '1' then
  local st = redis.call('HMGET', KEYS[2], 'rate', 'seen')
  local r = tonumber(st[1])
  if r then
    local seen = tonumber(st[2]) or r
    local alpha = tonumber(ARGV[7])
    if r >= 0.85 * seen and r <= 1.1 * seen then alpha = math.max(0.01, tonumber(ARGV[6]) * seen) end
    r = r + alpha / math.max(r, 0.1)
    if r >= tonumber(ARGV[5]) then
      redis.call('DEL', KEYS[2])
    else
      redis.call('HSET', KEYS[2], 'rate', tostring(r))
      redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[8]))
    end
  end
end
local at = math.min(now, tonumber(ARGV[2]))
local old = redis.call('ZSCORE', KEYS[1], ARGV[1])
if old and tonumber(old) >= at then return 0 end
redis.call('ZADD', KEYS[1], string.format('%d', at), ARGV[1])
local want = math.ceil((tonumber(ARGV[3]) + at - now) / 1000) + 1000
if redis.call('PTTL', KEYS[1]) < want then redis.call('PEXPIRE', KEYS[1], want) end
return 1
`;
const COMPLETE_SHA = createHash('sha1').update(COMPLETE_LUA).digest('hex');

/**
 * DingTalk refused a call for quota. Its entries go (DingTalk did not count it); unless the rate
 * was lowered less than `hold` ago (one overload, one decrease), the rate becomes rate × beta, or
 * accepted × beta when that is far lower (`accepted`: the calls of the last second DingTalk did
 * take, at least 1), never below `min`; a penalty (`pause` µs > 0) holds every call until it ends.
 * KEYS: window log, slot log, learned rate. ARGV: member, ceiling, beta, min, hold (µs),
 * pause (µs), rate TTL (ms). Returns the rate now in force.
 */
const REFUSED_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
local st = redis.call('HMGET', KEYS[3], 'rate', 'dec', 'pause')
local rate = tonumber(st[1]) or tonumber(ARGV[2])
local pause = tonumber(ARGV[6])
if pause > 0 and (tonumber(st[3]) or 0) < now + pause then
  redis.call('HSET', KEYS[3], 'pause', string.format('%d', now + pause))
end
if now - (tonumber(st[2]) or 0) >= tonumber(ARGV[5]) then
  local accepted = redis.call('ZCOUNT', KEYS[1], string.format('%d', now - 1000000), string.format('%d', now))
  local est = math.max(accepted, 1)
  local beta = tonumber(ARGV[3])
  -- Far above what DingTalk took (the first refusals of a ceiling set too high): down to that at
  -- once; otherwise one multiplicative step.
  if est < 0.75 * rate then rate = est * beta else rate = rate * beta end
  rate = math.max(tonumber(ARGV[4]), rate)
  redis.call('HSET', KEYS[3], 'rate', tostring(rate), 'seen', tostring(est), 'dec', string.format('%d', now))
end
redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[7]))
return tostring(rate)
`;
const REFUSED_SHA = createHash('sha1').update(REFUSED_LUA).digest('hex');

/** How the learned rate moves (AIMD); see the header. */
export interface RateLearning {
  /** Multiplicative decrease on a refusal (default 0.9). */
  beta: number;
  /** Additive increase per second of successes near the rate DingTalk last accepted, as a fraction of it (0.005). */
  slowFraction: number;
  /** ... and elsewhere, calls/s per second for a ceiling (default 10 % of it, at least 0.5). */
  fastPerS(ceiling: number): number;
  /** Lowest rate (calls/s) learning goes down to (default 0.2). */
  minRate: number;
  /** A learned rate unused this long is forgotten: the next call starts at the ceiling (default 1 h). */
  ttlMs: number;
  /** Longest one call keeps waiting through refusals before its quota error is thrown (default 10 min). */
  maxRefusedMs: number;
}

/** Default learning parameters. */
export const DEFAULT_LEARNING: RateLearning = {
  beta: 0.9,
  slowFraction: 0.005,
  fastPerS: (ceiling) => Math.max(0.5, 0.1 * ceiling),
  minRate: 0.2,
  ttlMs: 3600_000,
  maxRefusedMs: 600_000,
};

/** A quota refusal as the limiter sees it: optionally a penalty during which no call may go. */
export interface QuotaRefusal {
  pauseMs?: number;
}

/** Redis key of an API's learned rate (a hash: rate, seen, dec, pause), for readers such as /metrics. */
export function learnedRateKey(keyPrefix: string, api: string): string {
  return `${keyPrefix}quota:${api}:rate`;
}

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
   * Milliseconds added to each window (default 0). Calls made through `run()` need none: their
   * entries follow their completion. Only calls granted by a bare `acquire()` (recorded at their
   * slot) can land later at DingTalk than recorded; a margin absorbs that.
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
  /** How refusals move the learned rate (default DEFAULT_LEARNING). */
  learning?: Partial<RateLearning>;
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

/** A granted slot. */
interface Grant {
  /** Slot, Redis clock, ms. */
  atMs: number;
  api: string;
  key: string;
  member: string;
  windowUs: number;
  /** Upper bound of (Redis clock − local clock) in ms, measured when the slot was reserved. */
  offsetMs: number;
}

interface Waiter {
  signal?: AbortSignal;
  resolve(grant: Grant): void;
  reject(err: unknown): void;
  onAbort?: () => void;
}

/** Local wall clock with sub-millisecond resolution. */
const localNow = (): number => performance.timeOrigin + performance.now();

/** Keeps calls to each DingTalk API under its configured rate, across processes. */
export class QuotaLimiter {
  private readonly redis: Redis;
  private readonly keyPrefix: string;
  private readonly qps: number;
  private readonly overrides: Readonly<Record<string, number>>;
  private readonly safety: number;
  private readonly marginMs: number;
  private readonly jitterMs: number;
  private readonly burst: number;
  private readonly learning: RateLearning;
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
    this.jitterMs = opts.jitterMs ?? 1;
    this.burst = opts.burst ?? 1;
    this.learning = { ...DEFAULT_LEARNING, ...opts.learning };
    quotaWindow(this.qps, this.safety, this.burst, this.marginMs); // validate now, not at the first call
  }

  /** The configured window of one API (the ceiling; a learned rate may be lower). */
  windowFor(api: string): QuotaWindow {
    return quotaWindow(this.overrides[api] ?? this.qps, this.safety, this.burst, this.marginMs);
  }

  /** The configured rate of one API after the safety fraction: the ceiling of learning (calls/s). */
  ceilingFor(api: string): number {
    return (this.overrides[api] ?? this.qps) * this.safety;
  }

  /**
   * Waits for a slot for `api`, runs `call` at once, and when it returns (or fails) records its
   * completion as the latest time it can have reached DingTalk, so that the slot a window later
   * follows the real arrival, however late the call went out. When `refusal` says the failure was
   * DingTalk refusing for quota, the rate is lowered for every process and the call waits for its
   * next slot and goes again (for at most `maxRefusedMs` in all). Rejects with `signal.reason`
   * when aborted before a slot.
   */
  async run<R>(
    api: string,
    call: () => Promise<R>,
    opts: { signal?: AbortSignal; refusal?: (err: unknown) => QuotaRefusal | undefined } = {},
  ): Promise<R> {
    const started = Date.now();
    for (;;) {
      const grant = await this.reserve(api, opts.signal);
      let result: R;
      try {
        result = await call();
      } catch (err) {
        const refusal = opts.refusal?.(err);
        if (!refusal) {
          this.complete(grant, localNow(), false).catch(() => undefined);
          throw err;
        }
        // Awaited: the next slot must be reserved under the lowered rate.
        await this.refused(grant, refusal).catch(() => undefined);
        if (Date.now() - started >= this.learning.maxRefusedMs) throw err;
        continue;
      }
      // Not awaited: the caller need not wait for the record. Redis down: the slot stays recorded.
      this.complete(grant, localNow(), true).catch(() => undefined);
      return result;
    }
  }

  /**
   * Waits until a call to `api` is allowed and records it at its slot. Resolves with the slot
   * (Redis clock, ms); rejects with `signal.reason` when aborted first. Prefer `run()`: a call
   * that goes out late after a bare acquire is still counted at its slot.
   */
  async acquire(api: string, opts: { signal?: AbortSignal } = {}): Promise<number> {
    return (await this.reserve(api, opts.signal)).atMs;
  }

  private reserve(api: string, signal?: AbortSignal): Promise<Grant> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Grant>((resolve, reject) => {
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

  private async complete(grant: Grant, localMs: number, success: boolean): Promise<void> {
    const atUs = Math.ceil((localMs + grant.offsetMs) * 1000);
    const ceiling = this.ceilingFor(grant.api);
    const l = this.learning;
    await this.runScript(
      COMPLETE_LUA,
      COMPLETE_SHA,
      [grant.key, learnedRateKey(this.keyPrefix, grant.api)],
      [grant.member, atUs, grant.windowUs, success ? '1' : '0', ceiling, l.slowFraction, l.fastPerS(ceiling), l.ttlMs],
    );
  }

  /** DingTalk refused the granted call for quota: forget it and lower the shared rate. */
  private async refused(grant: Grant, refusal: QuotaRefusal): Promise<number> {
    const l = this.learning;
    const rate = await this.runScript<string>(
      REFUSED_LUA,
      REFUSED_SHA,
      [grant.key, `${grant.key}:slots`, learnedRateKey(this.keyPrefix, grant.api)],
      [
        grant.member,
        this.ceilingFor(grant.api),
        l.beta,
        Math.min(l.minRate, this.ceilingFor(grant.api)),
        grant.windowUs,
        Math.max(0, Math.round((refusal.pauseMs ?? 0) * 1000)),
        l.ttlMs,
      ],
    );
    return Number(rate);
  }

  /** The learned rate of an API (calls/s), or undefined while it runs at its ceiling. */
  async learnedRate(api: string): Promise<number | undefined> {
    const r = await this.redis.hget(learnedRateKey(this.keyPrefix, api), 'rate');
    return r === null ? undefined : Number(r);
  }

  /** Serves one API's queue until it is empty. */
  private async pump(api: string, queue: Waiter[]): Promise<void> {
    const key = `${this.keyPrefix}quota:${api}`;
    const keys = [key, `${key}:slots`, learnedRateKey(this.keyPrefix, api)];
    try {
      while (queue.length > 0) {
        const head = queue[0];
        let w: QuotaWindow;
        let reply: [number, number, number?, number?];
        let member: string;
        let asked: number;
        try {
          w = this.windowFor(api);
          member = `${this.id}:${++this.seq}`;
          asked = localNow();
          reply = await this.runScript(ACQUIRE_LUA, ACQUIRE_SHA, keys, [
            w.limit,
            w.windowMs * 1000,
            member,
            w.burst,
            Math.ceil(w.spanMs * 1000),
            w.windowMs * 1000,
            this.ceilingFor(api),
            this.marginMs * 1000,
          ]);
        } catch (err) {
          // Redis failed: fail this waiter (the call fails and is retried by its queue).
          if (queue[0] === head) queue.shift();
          this.settle(head, () => head.reject(err));
          continue;
        }
        const [granted, value, nowUs, windowUs] = reply;
        if (granted === 1) {
          // A reserved slot: wait until it comes (Redis clock; the reply came after Redis read
          // its clock, so the local wait never ends early), then let the call go. Waking late
          // is harmless: the call's entry follows its completion.
          const ahead = (value - (nowUs ?? value)) / 1000;
          if (ahead > 0) await this.sleep(api, Math.ceil(ahead));
          if (queue[0] === head) {
            queue.shift();
            const grant: Grant = {
              atMs: value / 1000,
              api,
              key,
              member,
              windowUs: windowUs ?? w.windowMs * 1000,
              offsetMs: (nowUs ?? value) / 1000 - asked,
            };
            this.settle(head, () => head.resolve(grant));
          } else {
            // The head gave up before its slot: hand the slot back for the next caller.
            await this.redis
              .multi()
              .zrem(key, member)
              .zrem(keys[1]!, member)
              .exec()
              .catch(() => undefined);
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

  private async runScript<T>(lua: string, sha: string, keys: string[], args: Array<string | number>): Promise<T> {
    try {
      return (await this.redis.evalsha(sha, keys.length, ...keys, ...args)) as T;
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
      return (await this.redis.eval(lua, keys.length, ...keys, ...args)) as T;
    }
  }
}
