import { connectRedis, redisTargetOf } from '../redis/connection.ts';
import type { OpenContext } from '../registry.ts';
import type { EvaluationStore } from '../types.ts';
import { withEntityCache } from './cached-evaluation-store.ts';
import { createRedisEntityCache } from './redis-entity-cache.ts';

export { withEntityCache } from './cached-evaluation-store.ts';
export { createMemoryEntityCache } from './memory-entity-cache.ts';
export { createRedisEntityCache } from './redis-entity-cache.ts';

/**
 * Wraps the evaluation store with the Redis cache when REDIS_URL (or REDIS_CLUSTER_NODES) is set and CACHE_ENABLED is not
 * false. The cache has its own connection, set to fail fast (no offline queue, a command timeout),
 * so a dead or slow Redis turns into cache misses served by the primary, never into hanging
 * requests. ioredis keeps reconnecting on its own.
 */
export function openEvaluationCache(ctx: OpenContext, store: EvaluationStore): EvaluationStore {
  const { cache, platform } = ctx.config;
  const target = redisTargetOf(platform);
  if (!cache.enabled || !target) return store;
  const redis = connectRedis(target, ctx.logger, { connectionName: 'strata-cache', failFastMs: cache.commandTimeoutMs });
  // Connect now rather than on the first command: without an offline queue, a lazy client would
  // refuse the first cache read instead of dialling.
  redis.connect().catch(() => {});
  const entityCache = createRedisEntityCache(redis, `${platform.keyPrefix}cache:`);
  ctx.onClose(() => entityCache.close());
  ctx.reportStatus(() => entityCache.status());
  return withEntityCache(store, entityCache, { ttlSeconds: cache.ttlSeconds, leaseMs: 2000, polls: 5, pollMs: 20 }, ctx.logger);
}
