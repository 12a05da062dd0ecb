// How the quota limiter learns an API's rate from DingTalk's refusals (quota-limiter.ts header).

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
