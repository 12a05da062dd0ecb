// People an app's work notices may reach per minute, shared by every process through Redis.
//
// DingTalk lets an internal app's work notices reach at most 5,000 people a minute and drops the
// rest silently (reported afterwards by getsendresult's forbidden_list; docs/warning-broadcast.md
// [W1]). The call quota (QuotaLimiter) cannot see that: it counts calls, not people. So before a
// work-notice call the channel takes its recipients from this budget: a sliding-window log (one
// ZSET entry per call: score = time, member = `<id>:<people>`), granting at most what keeps every
// minute at or under the cap. DingTalk counts a notice when the call arrives, which is after the
// grant, so the entry is moved to the call's completion time when it returns (arrival ≤
// completion), and handed back when the call failed.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * KEYS: the log. ARGV: cap, window (ms), want, id. Trims entries older than the window (Redis
 * clock), grants min(want, room) and records it as `<id>:<grant>`; returns {grant, waitMs} where
 * waitMs is when the oldest entry leaves the window (0 when the whole want was granted).
 */
const TAKE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cap = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - window))
local used = 0
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  used = used + tonumber(string.match(m, ':(%d+)$'))
end
local grant = math.max(0, math.min(want, cap - used))
if grant > 0 then
  redis.call('ZADD', KEYS[1], now, ARGV[4] .. ':' .. grant)
  redis.call('PEXPIRE', KEYS[1], window * 2)
end
local wait = 0
if grant < want then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  wait = oldest[2] and (tonumber(oldest[2]) + window - now + 1) or 1000
end
return {grant, wait}
`;

/** KEYS: the log. ARGV: member. Moves an entry to now (Redis clock), if it is still there. */
const DONE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
`;

/** A grant: how many recipients may be sent to now, and how to settle it. */
export interface BudgetGrant {
  granted: number;
  /** When not all were granted: milliseconds until room frees up. */
  waitMs: number;
  /** The call returned: count the grant from now. */
  done(): Promise<void>;
  /** The call failed: give the grant back. */
  release(): Promise<void>;
}

/** A per-minute budget of recipients (the window is a minute plus a second of margin). */
export class RecipientBudget {
  private readonly windowMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly perMinute: number,
    windowMs = 61_000,
  ) {
    this.windowMs = windowMs;
  }

  /** Takes up to `want` recipients from the budget. */
  async take(want: number): Promise<BudgetGrant> {
    const id = randomBytes(8).toString('hex');
    const [granted, waitMs] = (await this.redis.eval(
      TAKE_LUA,
      1,
      this.key,
      this.perMinute,
      this.windowMs,
      want,
      id,
    )) as [number, number];
    const member = `${id}:${granted}`;
    return {
      granted,
      waitMs,
      done: async () => {
        if (granted > 0) await this.redis.eval(DONE_LUA, 1, this.key, member);
      },
      release: async () => {
        if (granted > 0) await this.redis.zrem(this.key, member);
      },
    };
  }
}
