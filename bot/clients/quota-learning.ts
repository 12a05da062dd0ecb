// How the quota limiter learns an API's rate from DingTalk's refusals (quota-limiter.ts header).
import { DingTalkApiError } from './errors';

/** How the learned rate moves (AIMD); see the header. */
export interface RateLearning {
  /** Multiplicative decrease on a refusal (default 0.9). */
  beta: number;
  /** Additive increase per second of successes near the rate DingTalk last accepted, as a fraction of it (0.005). */
  slowFraction: number;
  /** ... and elsewhere, calls/s per second for a ceiling (default 10 % of it, at least 0.5). */
  fastPerS(ceiling: number): number;
  /**
   * After a refusal, the rate climbs no higher than this fraction of what DingTalk took in the
   * last second (default 0.95) for `probeAfterMs` (default 60 s), then probes above it: a rate at
   * DingTalk's very limit is refused whenever network or load delays bunch two calls together.
   */
  holdFraction: number;
  probeAfterMs: number;
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
  holdFraction: 0.95,
  probeAfterMs: 60_000,
  minRate: 0.2,
  ttlMs: 3600_000,
  maxRefusedMs: 600_000,
};

/** COMPLETE_LUA's arguments on how a success raises the rate (slow, fast, TTL, hold, probe), in order. */
export function growthArgs(l: RateLearning, ceiling: number): number[] {
  return [l.slowFraction, l.fastPerS(ceiling), l.ttlMs, l.holdFraction, l.probeAfterMs * 1000];
}

/** A quota refusal as the limiter sees it: optionally a penalty during which no call may go. */
export interface QuotaRefusal {
  pauseMs?: number;
}

/** Redis key of an API's learned rate (a hash: rate, seen, dec, pause), for readers such as /metrics. */
export function learnedRateKey(keyPrefix: string, api: string): string {
  return `${keyPrefix}quota:${api}:rate`;
}

/**
 * The refusals that say how fast DingTalk lets this app call an API (#19): the limiter learns the
 * rate from them and the call waits for its next slot instead of failing. 90002 is the global
 * per-API cap whose errmsg announces a penalty period ("处罚将在 … 结束", docs/dingtalk-wire.md §10):
 * every call to the API waits the rule's back-off first.
 */
const LEARNED_QUOTA_CODES: ReadonlySet<string> = new Set([
  'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
  'Forbidden.AccessDenied.QpsLimitForApi',
  '90018',
  '90002',
]);

/** A quota refusal the limiter learns from (`pauseMs`: a penalty every call waits out), or undefined. */
export function learnedQuotaRefusal(err: unknown): QuotaRefusal | undefined {
  if (!(err instanceof DingTalkApiError) || !err.dingCode || !LEARNED_QUOTA_CODES.has(err.dingCode)) return undefined;
  return err.dingCode === '90002' ? { pauseMs: err.retryAfterMs } : {};
}
