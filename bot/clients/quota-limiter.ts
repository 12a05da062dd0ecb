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
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DEFAULT_LEARNING, growthArgs, learnedRateKey, type QuotaRefusal, type RateLearning } from './quota-learning';
import { ACQUIRE_LUA, ACQUIRE_SHA, COMPLETE_LUA, COMPLETE_SHA, REFUSED_LUA, REFUSED_SHA } from './quota-scripts';
import { quotaWindow, waitMs, type QuotaLimiterOptions, type QuotaWindow } from './quota-window';

export { DEFAULT_LEARNING, learnedRateKey, type QuotaRefusal, type RateLearning } from './quota-learning';
export { quotaWindow, waitMs, type QuotaLimiterOptions, type QuotaWindow } from './quota-window';

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
      [grant.member, atUs, grant.windowUs, success ? '1' : '0', ceiling, ...growthArgs(l, ceiling)],
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
