import { createMemoryTokenBuckets } from './memory/token-bucket.ts';
import { closeRedis, connectRedis, redisTargetOf } from './redis/connection.ts';
import { createRedisTokenBuckets } from './redis/token-bucket.ts';
import type { RateLimiter } from './rate-limit-types.ts';
import type { OpenContext } from './registry.ts';

export type { RateLimiter } from './rate-limit-types.ts';

/** Never refuses: RATE_LIMIT_PER_SECOND=0, or no keys configured (the limits are per key). */
export const UNLIMITED: RateLimiter = { take: async () => ({ allowed: true, retryAfterMs: 0 }) };

/**
 * Per-key token buckets: in Redis when REDIS_URL is set (shared by every gateway process), in
 * memory otherwise. The Redis connection fails fast, like the cache's, so a slow Redis costs a
 * request at most REDIS_COMMAND_TIMEOUT_MS before the process's own buckets answer.
 */
export function openRateLimiter(ctx: OpenContext): RateLimiter {
  const { security, platform, cache } = ctx.config;
  const options = security.rateLimit;
  if (options.perSecond === 0 || security.keys.length === 0) return UNLIMITED;
  const memory = createMemoryTokenBuckets(options);
  const target = redisTargetOf(platform);
  if (!target) return memory;
  const redis = connectRedis(target, ctx.logger, { connectionName: 'strata-ratelimit', failFastMs: cache.commandTimeoutMs });
  redis.connect().catch(() => {});
  ctx.onClose(() => closeRedis(redis));
  return createRedisTokenBuckets(redis, platform.keyPrefix, { ...options, connectTimeoutMs: 2000 }, memory, ctx.logger);
}
