import type { RedisKey, Result } from 'ioredis';
import type { RedisClient } from './connection.ts';

/**
 * The KV store's Lua scripts. Every write goes through one of them, so a value key, the range
 * index ({kv}:index, all keys with score 0, read with ZRANGEBYLEX) and the expiry index
 * ({kv}:expiry, keys with a TTL scored by expiry time in ms) never disagree: an index member
 * without its value key can only mean that Redis expired (or evicted) the value.
 *
 * The scripts read value keys built from ARGV (the range and the sweep cannot know them in
 * advance). That is allowed on Redis Cluster because they share the "{kv}" hash tag, and so the
 * slot, of the declared keys (see keys.ts). Time comes from the server (TIME), so gateways with
 * skewed clocks agree on what has expired.
 */

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// Drops up to `limit` index members whose expiry time has passed and whose value Redis has
// already removed: bounded work per write keeps the index in step without a background job.
const SWEEP = (keys: string, prefix: string, limit: string) => `
for _, m in ipairs(redis.call('ZRANGEBYSCORE', ${keys}[3], '-inf', now, 'LIMIT', 0, ${limit})) do
  if redis.call('EXISTS', ${prefix} .. m) == 0 then
    redis.call('ZREM', ${keys}[2], m)
    redis.call('ZREM', ${keys}[3], m)
  end
end`;

/** KEYS: value, index, expiry. ARGV: key, payload, ttlMs (0: none), value prefix, sweep limit. */
const PUT = `${NOW}
local ttl = tonumber(ARGV[3])
local expiresAt = -1
if ttl > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
  expiresAt = now + ttl
  redis.call('ZADD', KEYS[3], expiresAt, ARGV[1])
else
  redis.call('SET', KEYS[1], ARGV[2])
  redis.call('ZREM', KEYS[3], ARGV[1])
end
redis.call('ZADD', KEYS[2], 0, ARGV[1])
${SWEEP('KEYS', 'ARGV[4]', 'ARGV[5]')}
return expiresAt`;

/** KEYS: value, expiry. ARGV: key. Returns nil, or {payload, expiresAt ms or ''} as of one instant. */
const GET = `local v = redis.call('GET', KEYS[1])
if not v then return nil end
return {v, redis.call('ZSCORE', KEYS[2], ARGV[1]) or ''}`;

/** KEYS: value, index, expiry. ARGV: key. Returns 1 when a live value was removed. */
const DELETE = `local n = redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return n`;

/**
 * KEYS: index, expiry. ARGV: value prefix, min, max (ZRANGEBYLEX bounds), limit, budget.
 * Returns {continueFrom, key1, payload1, expiresAt1, ...}. At most `budget` members are examined
 * per call, so a range over a stretch of expired keys cannot block Redis for long; when the budget
 * runs out first, continueFrom is the exclusive bound to call again with ('' when done). Members
 * whose value is gone are removed from both indexes on the way (lazy cleanup).
 */
const RANGE = `local min, want, budget = ARGV[2], tonumber(ARGV[4]), tonumber(ARGV[5])
local out, stale, examined, found = {''}, {}, 0, 0
while found < want and examined < budget do
  local members = redis.call('ZRANGEBYLEX', KEYS[1], min, ARGV[3], 'LIMIT', 0, math.min(want - found, budget - examined))
  if #members == 0 then break end
  for _, m in ipairs(members) do
    examined = examined + 1
    local v = redis.call('GET', ARGV[1] .. m)
    if v then
      found = found + 1
      out[#out + 1] = m
      out[#out + 1] = v
      out[#out + 1] = redis.call('ZSCORE', KEYS[2], m) or ''
    else
      stale[#stale + 1] = m
    end
  end
  min = '(' .. members[#members]
end
if found < want and examined >= budget then out[1] = min end
for _, m in ipairs(stale) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('ZREM', KEYS[2], m)
end
return out`;

/** KEYS: index, expiry. Returns {live keys, live keys with an expiry}, not counting expired ones. */
const STATS = `${NOW}
local expired = redis.call('ZCOUNT', KEYS[2], '-inf', now)
return {redis.call('ZCARD', KEYS[1]) - expired, redis.call('ZCARD', KEYS[2]) - expired}`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    strataKvPut(value: RedisKey, index: RedisKey, expiry: RedisKey, key: string, payload: string, ttlMs: number, valuePrefix: string, sweep: number): Result<number, Context>;
    strataKvGet(value: RedisKey, expiry: RedisKey, key: string): Result<[string, string] | null, Context>;
    strataKvDelete(value: RedisKey, index: RedisKey, expiry: RedisKey, key: string): Result<number, Context>;
    strataKvRange(index: RedisKey, expiry: RedisKey, valuePrefix: string, min: string | Buffer, max: string | Buffer, limit: number, budget: number): Result<string[], Context>;
    strataKvStats(index: RedisKey, expiry: RedisKey): Result<[number, number], Context>;
  }
}

/** Registers the scripts on a connection; ioredis runs them by EVALSHA, loading them when needed. */
export function defineKvScripts(redis: RedisClient): void {
  redis.defineCommand('strataKvPut', { numberOfKeys: 3, lua: PUT });
  redis.defineCommand('strataKvGet', { numberOfKeys: 2, lua: GET, readOnly: true });
  redis.defineCommand('strataKvDelete', { numberOfKeys: 3, lua: DELETE });
  redis.defineCommand('strataKvRange', { numberOfKeys: 2, lua: RANGE, readOnly: false });
  redis.defineCommand('strataKvStats', { numberOfKeys: 2, lua: STATS, readOnly: true });
}
