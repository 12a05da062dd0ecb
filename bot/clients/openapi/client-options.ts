// What a DingTalkClient is built from (dingtalk-client.ts).
import type { Redis } from 'ioredis';
import type { Settings } from '../../../core/config';
import type { QuotaLimiter } from '../quota-limiter';
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
