// DingTalk's standard edition meters API calls per month (5,000 a month; tokens, 免登 and contacts
// are not metered: docs/dingtalk-wire.md §10, after
// https://open.dingtalk.com/document/development/how-to-process-api-throttling-on-the-dingtalk-server).
// Every process counts its successful calls per API in one Redis hash per month (Asia/Shanghai),
// so /metrics and `doctor` show the month's use against DINGTALK_MONTHLY_CALLS. Whether DingTalk
// also meters refused calls is not published; they are not counted here.
import type { Redis } from 'ioredis';
import type { Settings } from '../../core/config';
import type { Logger } from '../../core/logger';
import { updateQuotaGauges } from '../../core/metrics';
import { DINGTALK_APIS, type DingTalkApi } from './api-names';
import { learnedRateKey } from './quota-limiter';

/** Redis prefix of one app's client keys (token, quota, counts): `<base><appKey>:`. */
export function dingtalkKeyPrefix(base: string, appKey: string): string {
  return `${base}${appKey}:`;
}

/** Calls DingTalk does not meter: tokens, 免登 and the contacts APIs. */
export const UNMETERED_APIS: ReadonlySet<DingTalkApi> = new Set<DingTalkApi>([
  'oauth2.accessToken',
  'gettoken',
  'user.getUserInfo',
  'user.get',
  'user.getByMobile',
  'department.listSub',
  'user.listIdByDept',
]);

/** Share of the monthly budget at which /metrics and doctor warn. */
export const MONTHLY_WARN_RATIO = 0.8;

/** `202612` for a moment in Asia/Shanghai. */
export function shanghaiMonth(at = new Date()): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 7).replace('-', '');
}

/** Redis hash of one month's successful calls per API. */
export function monthKey(keyPrefix: string, month: string): string {
  return `${keyPrefix}calls:${month}`;
}

/** Counts one successful call; not awaited (a count lost with Redis only understates the month). */
export function countMonthlyCall(redis: Redis, keyPrefix: string, api: DingTalkApi): void {
  const key = monthKey(keyPrefix, shanghaiMonth());
  redis
    .multi()
    .hincrby(key, api, 1)
    .expire(key, 40 * 86_400)
    .exec()
    .catch(() => undefined);
}

/** What the limiter and the counters know about each API, shared by every process. */
export interface QuotaState {
  month: string;
  /** Successful calls this month per API (APIs not called are absent). */
  monthCalls: Partial<Record<DingTalkApi, number>>;
  /** Calls this month DingTalk meters (the sum without UNMETERED_APIS). */
  metered: number;
  /** DINGTALK_MONTHLY_CALLS when set. */
  budget?: number;
  /** metered ≥ 80 % of the budget. */
  warning: boolean;
  /** APIs running below their ceiling, with the learned rate (calls/s) and the ceiling. */
  learned: Array<{ api: DingTalkApi; rate: number; ceiling: number; pausedUntil?: Date }>;
}

/**
 * Reads the shared state for one app: `keyPrefix` is the client's (`<prefix>:<appKey>:`),
 * `ceiling(api)` the configured rate after DINGTALK_QUOTA_SAFETY.
 */
export async function readQuotaState(
  redis: Redis,
  keyPrefix: string,
  ceiling: (api: DingTalkApi) => number,
  budget?: number,
  now = new Date(),
): Promise<QuotaState> {
  const month = shanghaiMonth(now);
  const p = redis.pipeline();
  p.hgetall(monthKey(keyPrefix, month));
  for (const api of DINGTALK_APIS) p.hmget(learnedRateKey(keyPrefix, api), 'rate', 'pause');
  const res = (await p.exec()) ?? [];
  const counts = (res[0]?.[1] ?? {}) as Record<string, string>;
  const monthCalls: QuotaState['monthCalls'] = {};
  let metered = 0;
  for (const api of DINGTALK_APIS) {
    const n = Number(counts[api] ?? 0);
    if (n > 0) monthCalls[api] = n;
    if (!UNMETERED_APIS.has(api)) metered += n;
  }
  const learned: QuotaState['learned'] = [];
  DINGTALK_APIS.forEach((api, i) => {
    const [rate, pause] = (res[i + 1]?.[1] ?? []) as Array<string | null>;
    if (rate === null || rate === undefined) return;
    const pausedUs = pause ? Number(pause) : 0;
    learned.push({
      api,
      rate: Number(rate),
      ceiling: ceiling(api),
      ...(pausedUs / 1000 > now.getTime() ? { pausedUntil: new Date(pausedUs / 1000) } : {}),
    });
  });
  return {
    month,
    monthCalls,
    metered,
    budget,
    warning: budget !== undefined && metered >= MONTHLY_WARN_RATIO * budget,
    learned,
  };
}

/** The settings the quota state is read with. */
export type QuotaConfig = Pick<
  Settings<'dingtalk'>,
  'appKey' | 'qps' | 'qpsOverrides' | 'quotaSafety' | 'monthlyCalls'
>;

/** The configured rate of an API after DINGTALK_QUOTA_SAFETY (what the limiter calls its ceiling). */
export function configuredCeiling(config: QuotaConfig, api: string): number {
  return (config.qpsOverrides[api] ?? config.qps) * config.quotaSafety;
}

/** Reads the app's quota state with the client's key prefix (`<QUEUE_PREFIX>:`, as the runtime builds it). */
export function readAppQuotaState(redis: Redis, basePrefix: string, config: QuotaConfig): Promise<QuotaState> {
  return readQuotaState(
    redis,
    dingtalkKeyPrefix(basePrefix, config.appKey ?? ''),
    (api) => configuredCeiling(config, api),
    config.monthlyCalls,
  );
}

/** A /metrics collector: learned rates and this month's calls into the gauges, warning once a month at 80 %. */
export function quotaMetricsCollector(
  redis: Redis,
  basePrefix: string,
  config: QuotaConfig,
  logger: Logger,
): () => Promise<void> {
  let warnedFor: string | undefined;
  return async () => {
    const state = await readAppQuotaState(redis, basePrefix, config);
    updateQuotaGauges(state, DINGTALK_APIS, (api) => configuredCeiling(config, api));
    if (state.warning && warnedFor !== state.month) {
      warnedFor = state.month;
      logger.warn(
        { month: state.month, metered: state.metered, budget: state.budget },
        `本月钉钉接口调用已达 ${state.metered} 次，超过 DINGTALK_MONTHLY_CALLS（${state.budget}）的 80%`,
      );
    }
  };
}
