// The options of the quota limiter and the window and spacing of one API's calls-per-second quota
// (quota-limiter.ts header).
import type { Redis } from 'ioredis';
import type { RateLearning } from './quota-learning';

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
