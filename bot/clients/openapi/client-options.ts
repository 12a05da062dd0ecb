// What a DingTalkClient is built from (dingtalk-client.ts), and how its calls are run: one quota
// limiter and one access token per app, shared by every process through Redis.
import type { Redis } from 'ioredis';
import type { Settings } from '../../../core/config';
import { dingtalkKeyPrefix } from '../monthly-calls';
import { QuotaLimiter } from '../quota-limiter';
import { CallRunner } from './call-runner';
import type { SdkClients } from './sdk';
import type * as T from './types';

/** The config fields the client reads. */
export type DingTalkClientConfig = Pick<
  Settings<'dingtalk'>,
  | 'appKey'
  | 'appSecret'
  | 'corpId'
  | 'agentId'
  | 'robotCode'
  | 'apiBase'
  | 'oapiBase'
  | 'qps'
  | 'qpsOverrides'
  | 'quotaSafety'
  | 'quotaMarginMs'
  | 'quotaBurst'
>;

/** Options of a DingTalkClient. */
export interface DingTalkClientOptions {
  config: DingTalkClientConfig;
  redis: Redis;
  /** Prefix of every Redis key (token, lock, quota); the app key is appended. */
  keyPrefix?: string;
  /** Quota limiter; by default one built from DINGTALK_QPS(_OVERRIDES); `null` disables it. */
  limiter?: QuotaLimiter | null;
  /** Fraction of the configured rate the default limiter uses (default: config DINGTALK_QUOTA_SAFETY). */
  quotaSafety?: number;
  /** Metrics hook, called once per HTTP call. */
  onCall?: (event: T.DingTalkCallEvent) => void;
  /** Token endpoint: new `POST /v1.0/oauth2/accessToken` (default) or old `GET /gettoken`. */
  tokenSource?: 'oauth2' | 'gettoken';
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

/** The runner of a client's calls: its quota limiter (unless given or disabled), token and metrics hook. */
export function callRunnerOf(
  opts: DingTalkClientOptions,
  app: { appKey: string; appSecret: string },
  sdk: SdkClients,
  timeoutMs: number,
): CallRunner {
  const c = opts.config;
  const keyPrefix = dingtalkKeyPrefix(opts.keyPrefix ?? 'leiguard:dingtalk:', app.appKey);
  const limiter =
    opts.limiter === undefined
      ? new QuotaLimiter({
          redis: opts.redis,
          keyPrefix,
          qps: c.qps,
          overrides: c.qpsOverrides,
          safety: opts.quotaSafety ?? c.quotaSafety,
          marginMs: c.quotaMarginMs,
          burst: c.quotaBurst,
        })
      : opts.limiter;
  return new CallRunner({
    appKey: app.appKey,
    appSecret: app.appSecret,
    oapiBase: c.oapiBase,
    sdk,
    redis: opts.redis,
    keyPrefix,
    limiter,
    onCall: opts.onCall,
    tokenSource: opts.tokenSource ?? 'oauth2',
    timeoutMs,
  });
}
