import type { RedisClient } from './connection.ts';
import type { Logger } from '../../logger.ts';
import type { RateLimiter, TokenBucketOptions } from '../rate-limit-types.ts';

/**
 * One bucket per key as a Redis hash, read, refilled and taken from in one script, so every
 * gateway process shares the same buckets and no two takes race. The clock is Redis's own (TIME),
 * so gateways with skewed clocks still agree. An idle bucket expires once it would be full again.
 */
const TAKE = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local held = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(held[1]) or burst
local at = tonumber(held[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return {allowed, wait}
`;

type WithTake = RedisClient & { strataTakeToken(key: string, rate: number, burst: number): Promise<[number, number]> };

/**
 * Buckets in Redis. When Redis cannot answer, `fallback` (this process's own buckets) does: a
 * Redis outage loosens the limit to per-process for a while, and never fails a request.
 */
export function createRedisTokenBuckets(redis: RedisClient, prefix: string, options: TokenBucketOptions & { connectTimeoutMs: number }, fallback: RateLimiter, logger: Logger): RateLimiter {
  if (!('strataTakeToken' in redis)) redis.defineCommand('strataTakeToken', { numberOfKeys: 1, lua: TAKE });
  const client = redis as WithTake;
  let failing = false;
  // Requests right after start wait (at most connectTimeoutMs) for the first connection, so they
  // are counted in the shared buckets instead of the process's own; later outages do not wait.
  let starting: Promise<void> | null = new Promise<void>((resolve) => {
    redis.once('ready', resolve);
    setTimeout(resolve, options.connectTimeoutMs).unref();
  }).then(() => void (starting = null));
  return {
    async take(key) {
      if (starting) await starting;
      try {
        const [allowed, wait] = await client.strataTakeToken(`${prefix}ratelimit:${key}`, options.perSecond, options.burst);
        failing = false;
        return { allowed: allowed === 1, retryAfterMs: wait };
      } catch (err) {
        if (!failing) logger.warn({ err }, 'rate limiter: Redis unavailable; limiting per process until it is back');
        failing = true;
        return fallback.take(key);
      }
    },
  };
}
