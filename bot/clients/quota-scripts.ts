// The Redis scripts of the quota limiter (quota-limiter.ts), each with its SHA-1 for EVALSHA.
import { createHash } from 'node:crypto';

/**
 * Atomic reservation. KEYS: window log, slot log. ARGV: limit, window (µs), member, burst,
 * span (µs), horizon (µs). Finds the earliest slot at or after now such that no window of
 * `window` holds more than `limit` entries of the window log (arrival bounds) and no window of
 * `span` more than `burst` slots, and records it in both. Slots are computed from what is already
 * recorded, not from when a caller asked, so a caller that wakes a little late does not push
 * every later slot back. Returns {1, slotUs, nowUs}; or {0, waitUs} when the slot would lie beyond
 * the horizon (ask again later).
 */
export const ACQUIRE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local burst = tonumber(ARGV[4])
local span = tonumber(ARGV[5])
local horizon = tonumber(ARGV[6])
local cut = '(' .. string.format('%d', now - window)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', cut)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', cut)
local n = redis.call('ZCARD', KEYS[1])
local slot = now
if n >= limit then
  local e = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
  slot = math.max(slot, tonumber(e[2]) + window + 1)
end
local m = redis.call('ZCARD', KEYS[2])
if burst < limit and m >= burst then
  local e = redis.call('ZRANGE', KEYS[2], m - burst, m - burst, 'WITHSCORES')
  slot = math.max(slot, tonumber(e[2]) + span + 1)
end
if slot - now > horizon then
  return {0, slot - now - horizon}
end
local ttl = math.ceil((window + slot - now) / 1000) + 1000
for i = 1, 2 do
  redis.call('ZADD', KEYS[i], string.format('%d', slot), ARGV[3])
  redis.call('PEXPIRE', KEYS[i], ttl)
end
return {1, slot, now}
`;
export const ACQUIRE_SHA = createHash('sha1').update(ACQUIRE_LUA).digest('hex');

/**
 * A call came back: raise its entry in the window log to `at` (µs, Redis clock; the earlier of
 * Redis' own clock and the caller's converted completion time, both no earlier than the call's
 * arrival at DingTalk). KEYS: window log. ARGV: member, at (µs), window (µs). Re-adds an entry
 * already trimmed (a call slower than a window); never lowers one.
 */
export const COMPLETE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local at = math.min(now, tonumber(ARGV[2]))
local old = redis.call('ZSCORE', KEYS[1], ARGV[1])
if old and tonumber(old) >= at then return 0 end
redis.call('ZADD', KEYS[1], string.format('%d', at), ARGV[1])
local want = math.ceil((tonumber(ARGV[3]) + at - now) / 1000) + 1000
if redis.call('PTTL', KEYS[1]) < want then redis.call('PEXPIRE', KEYS[1], want) end
return 1
`;
export const COMPLETE_SHA = createHash('sha1').update(COMPLETE_LUA).digest('hex');
