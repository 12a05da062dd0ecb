// The Redis scripts of the quota limiter (quota-limiter.ts), each with its SHA-1 for EVALSHA.
import { createHash } from 'node:crypto';

/**
 * Atomic reservation. KEYS: window log, slot log, learned rate (hash). ARGV: limit, window (µs),
 * member, burst, span (µs), horizon (µs), ceiling (calls/s), margin (µs). A learned rate below the
 * ceiling replaces the configured window: `floor(2 × rate)` calls (at least 1) per `limit/rate` s,
 * so a rate of 4.75/s is kept as such, not rounded to 4; the grants stay spaced `1/rate` apart, and
 * the two-second window lets a call's latency (entries move to completion) cost half what it would
 * over one second. Finds the earliest slot at or after now (and
 * after a penalty pause) such that no window of `window` holds more than `limit` entries of the
 * window log (arrival bounds) and no window of `span` more than `burst` slots, and records it in
 * both. Slots are computed from what is already recorded, not from when a caller asked, so a
 * caller that wakes a little late does not push every later slot back. Returns
 * {1, slotUs, nowUs, windowUs}; or {0, waitUs} when the slot would lie beyond the horizon.
 */
export const ACQUIRE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local burst = tonumber(ARGV[4])
local span = tonumber(ARGV[5])
local horizon = tonumber(ARGV[6])
local learned = redis.call('HMGET', KEYS[3], 'rate', 'pause')
local r = tonumber(learned[1])
if r and r < tonumber(ARGV[7]) then
  limit = math.max(1, math.floor(2 * r + 1e-9))
  window = math.ceil(1000000 * limit / r) + tonumber(ARGV[8])
  burst = math.min(burst, limit)
  span = math.ceil(window * burst / limit)
  horizon = window
end
-- Entries are kept a second at least: a refusal estimates DingTalk's rate from the last second.
local cut = '(' .. string.format('%d', now - math.max(window, 1000000))
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', cut)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', cut)
local n = redis.call('ZCARD', KEYS[1])
local slot = now
local pause = tonumber(learned[2])
if pause and pause > slot then slot = pause end
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
return {1, slot, now, window}
`;
export const ACQUIRE_SHA = createHash('sha1').update(ACQUIRE_LUA).digest('hex');

/**
 * A call came back: raise its entry in the window log to `at` (µs, Redis clock; the earlier of
 * Redis' own clock and the caller's converted completion time, both no earlier than the call's
 * arrival at DingTalk). Re-adds an entry already trimmed (a call slower than a window); never
 * lowers one. A success raises a learned rate by `alpha / rate` (so by about `alpha` per second
 * of successes, whichever process makes them): slowly (`slow` × that rate, at least 0.01/s) within
 * 0.85-1.1 × the rate DingTalk last accepted, `fast` per second elsewhere, and for `probe` µs after
 * the last decrease no higher than `hold` × the rate DingTalk last accepted; at the ceiling the
 * learned rate is dropped. KEYS: window log, learned rate. ARGV: member, at (µs), window (µs),
 * success (1/0), ceiling, slow (fraction), fast (calls/s per s), rate TTL (ms), hold (fraction),
 * probe (µs).
 */
export const COMPLETE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
if ARGV[4] == '1' then
  local st = redis.call('HMGET', KEYS[2], 'rate', 'seen', 'dec')
  local r = tonumber(st[1])
  if r then
    local seen = tonumber(st[2]) or r
    local alpha = tonumber(ARGV[7])
    if r >= 0.85 * seen and r <= 1.1 * seen then alpha = math.max(0.01, tonumber(ARGV[6]) * seen) end
    local nr = r + alpha / math.max(r, 0.1)
    if now - (tonumber(st[3]) or 0) < tonumber(ARGV[10]) then
      nr = math.max(r, math.min(nr, tonumber(ARGV[9]) * seen))
    end
    r = nr
    if r >= tonumber(ARGV[5]) then
      redis.call('DEL', KEYS[2])
    else
      redis.call('HSET', KEYS[2], 'rate', tostring(r))
      redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[8]))
    end
  end
end
local at = math.min(now, tonumber(ARGV[2]))
local old = redis.call('ZSCORE', KEYS[1], ARGV[1])
if old and tonumber(old) >= at then return 0 end
redis.call('ZADD', KEYS[1], string.format('%d', at), ARGV[1])
local want = math.ceil((tonumber(ARGV[3]) + at - now) / 1000) + 1000
if redis.call('PTTL', KEYS[1]) < want then redis.call('PEXPIRE', KEYS[1], want) end
return 1
`;
export const COMPLETE_SHA = createHash('sha1').update(COMPLETE_LUA).digest('hex');

/**
 * DingTalk refused a call for quota. Its entries go (DingTalk did not count it); unless the rate
 * was lowered less than `hold` ago (one overload, one decrease), the rate becomes rate × beta, or
 * accepted × beta when that is far lower (`accepted`: the calls of the last second DingTalk did
 * take, at least 1), never below `min`; a penalty (`pause` µs > 0) holds every call until it ends.
 * KEYS: window log, slot log, learned rate. ARGV: member, ceiling, beta, min, hold (µs),
 * pause (µs), rate TTL (ms). Returns the rate now in force.
 */
export const REFUSED_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
local st = redis.call('HMGET', KEYS[3], 'rate', 'dec', 'pause')
local rate = tonumber(st[1]) or tonumber(ARGV[2])
local pause = tonumber(ARGV[6])
if pause > 0 and (tonumber(st[3]) or 0) < now + pause then
  redis.call('HSET', KEYS[3], 'pause', string.format('%d', now + pause))
end
if now - (tonumber(st[2]) or 0) >= tonumber(ARGV[5]) then
  local accepted = redis.call('ZCOUNT', KEYS[1], string.format('%d', now - 1000000), string.format('%d', now))
  local est = math.max(accepted, 1)
  local beta = tonumber(ARGV[3])
  -- Far above what DingTalk took (the first refusals of a ceiling set too high): down to that at
  -- once; otherwise one multiplicative step.
  if est < 0.75 * rate then rate = est * beta else rate = rate * beta end
  rate = math.max(tonumber(ARGV[4]), rate)
  redis.call('HSET', KEYS[3], 'rate', tostring(rate), 'seen', tostring(est), 'dec', string.format('%d', now))
end
redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[7]))
return tostring(rate)
`;
export const REFUSED_SHA = createHash('sha1').update(REFUSED_LUA).digest('hex');
