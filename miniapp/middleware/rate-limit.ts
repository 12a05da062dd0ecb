// Rate and size limits for every endpoint, shared by all API processes through Redis: a fixed
// one-minute window per client address and bucket, counted by one Lua script (INCR + PEXPIRE on
// the first hit, atomic). Buckets give login and callbacks their own budgets. When Redis is
// unreachable the request is let through and the failure logged: refusing every request because
// the counter store is down would turn a Redis outage into a full outage.
import { redisAway } from '../../core/config/redis';
import type { Redis } from 'ioredis';
import type { Middleware } from 'koa';
import { AppError } from '../../core/errors/app-error';
import type { Logger } from '../../core/logger';

/** Requests per minute per client address, by bucket. */
export interface RateLimits {
  /** POST /api/m/session (免登): guessing authCodes is the attack to slow down. */
  login: number;
  /** /dingtalk/* callbacks (DingTalk's servers; bursts during fan-outs). */
  callback: number;
  /** /healthz, /readyz, /metrics (probes and scrapers). */
  probe: number;
  /** Everything else (mini-app API, admin, pages). */
  api: number;
}

/** Too many requests in the current window. */
export class RateLimitedError extends AppError {
  readonly headers: Record<string, string>;
  constructor(retryAfterS: number) {
    super('RATE_LIMITED', `请求过于频繁，请 ${retryAfterS} 秒后再试`, {
      status: 429,
      details: { retryAfterSeconds: retryAfterS },
    });
    this.headers = { 'Retry-After': String(retryAfterS) };
  }
}

/** The query string is longer than allowed. */
export class QueryTooLongError extends AppError {
  constructor(limit: number) {
    super('QUERY_TOO_LONG', `查询参数过长，不能超过 ${limit} 个字符`, { status: 414 });
  }
}

const WINDOW_MS = 60_000;

// KEYS[1] counter; ARGV[1] window ms. Returns {count, ttl ms}.
const SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
return {n, ttl}
`;

/** Which bucket a path counts against. */
export function bucketOf(method: string, path: string): keyof RateLimits {
  if (path === '/api/m/session' && method === 'POST') return 'login';
  if (path.startsWith('/dingtalk/')) return 'callback';
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return 'probe';
  return 'api';
}

/** The limit middleware; mount it after the error middleware and before any body is read. */
export function rateLimit(deps: {
  redis: Redis;
  keyPrefix: string;
  limits: RateLimits;
  maxQueryLength: number;
  logger: Logger;
}): Middleware {
  let lastNotReadyLog = 0;
  return async (ctx, next) => {
    if (ctx.querystring.length > deps.maxQueryLength) throw new QueryTooLongError(deps.maxQueryLength);
    const bucket = bucketOf(ctx.method, ctx.path);
    const limit = deps.limits[bucket];
    const window = Math.floor(Date.now() / WINDOW_MS);
    const key = `${deps.keyPrefix}rl:${bucket}:${ctx.ip}:${window}`;
    let count = 0;
    let ttl = WINDOW_MS;
    // While Redis (re)connects a command would wait in ioredis's offline queue: let the request
    // through at once instead of holding it for the length of the outage.
    if (redisAway(deps.redis)) {
      if (Date.now() - lastNotReadyLog > 10_000) {
        lastNotReadyLog = Date.now();
        deps.logger.warn(
          { status: deps.redis.status },
          'rate limit unavailable (Redis not connected), requests let through',
        );
      }
    } else {
      try {
        [count, ttl] = (await deps.redis.eval(SCRIPT, 1, key, String(WINDOW_MS))) as [number, number];
      } catch (err) {
        deps.logger.warn({ err, bucket }, 'rate limit unavailable (Redis), request let through');
      }
    }
    ctx.set('RateLimit-Limit', String(limit));
    ctx.set('RateLimit-Remaining', String(Math.max(0, limit - count)));
    if (count > limit) throw new RateLimitedError(Math.max(1, Math.ceil(ttl / 1000)));
    await next();
  };
}
