// Redis behind Sentinel (issue #25): a site may run Redis with automatic failover. Settings as
// ioredis takes them (github.com/redis/ioredis#sentinel: `sentinels: [{ host, port }]`, `name`);
// REDIS_URL, when also set, gives the master's password and database number.
import { Redis, type RedisOptions } from 'ioredis';
import { z } from 'zod';
import { setting } from './setting';

/** One Sentinel's address. */
export interface SentinelAddress {
  host: string;
  port: number;
}

const sentinelList = z
  .string()
  .transform((s) => s.split(',').map((p) => p.trim()))
  .pipe(
    z.array(
      z
        .string()
        .regex(/^[A-Za-z0-9.\-_:[\]]+:\d{1,5}$/, '格式为 主机:端口，多个用逗号分隔，如 10.0.0.1:26379,10.0.0.2:26379')
        .transform((hp): SentinelAddress => {
          const i = hp.lastIndexOf(':');
          return { host: hp.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(hp.slice(i + 1)) };
        }),
    ),
  );

/** Redis Sentinel settings. */
export const redisSettings = {
  /** Sentinels to ask for the current master (comma list of host:port); unset: REDIS_URL as it is. */
  sentinels: setting('REDIS_SENTINELS', sentinelList.optional()),
  /** The master's name at the Sentinels (`sentinel monitor <name> …`). */
  sentinelName: setting('REDIS_SENTINEL_NAME', z.string().min(1).optional()),
} as const;

/** Where Redis is: a URL, or Sentinels that name the master (with the URL's password and db). */
export interface RedisTarget {
  url: string;
  sentinels?: SentinelAddress[];
  name?: string;
}

/**
 * ioredis/BullMQ connection options for a target. Behind Sentinel: ioredis asks the Sentinels for
 * the master and asks again after every disconnect (Sentinel ends clients' connections when it
 * fails over); a write refused with READONLY (a client still on a demoted master) reconnects,
 * as ioredis's README recommends for failover ("reconnectOnError").
 */
export function redisConnectionOptions<T extends object>(target: RedisTarget, extra: T): Record<string, unknown> & T {
  if (!target.sentinels?.length) return { url: target.url, ...extra };
  const u = new URL(target.url);
  return {
    sentinels: target.sentinels,
    name: target.name,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    reconnectOnError: (err: Error) => (err.message.startsWith('READONLY') ? 2 : false),
    ...extra,
  };
}

/** A client for the target (`new Redis(url)`, or ioredis's Sentinel options). */
export function createRedis(target: RedisTarget, extra: RedisOptions): Redis {
  return target.sentinels?.length
    ? new Redis(redisConnectionOptions(target, extra) as RedisOptions)
    : new Redis(target.url, extra);
}

/** A readable description of the target (no password). */
export function describeRedis(target: RedisTarget): string {
  if (target.sentinels?.length)
    return `Sentinel ${target.sentinels.map((s) => `${s.host}:${s.port}`).join(',')}（主节点 ${target.name}）`;
  const u = new URL(target.url);
  if (u.password) u.password = '***';
  return u.toString();
}

/**
 * True while a client is away from Redis (reconnecting after losing it): a command now would wait
 * in ioredis's offline queue until Redis is back. A client still making its first connection is
 * not away (ioredis counts reconnection attempts in `retryAttempts`, reset once ready).
 */
export function redisAway(redis: Redis): boolean {
  const s = redis.status;
  if (s === 'reconnecting' || s === 'close' || s === 'end') return true;
  return s === 'connecting' && ((redis as unknown as { retryAttempts?: number }).retryAttempts ?? 0) > 0;
}
