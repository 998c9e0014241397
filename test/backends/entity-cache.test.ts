import { Redis } from 'ioredis';
import { createMemoryEntityCache, createRedisEntityCache } from '../../src/backends/cache/index.ts';
import { entityCacheContract } from '../contract/entity-cache.ts';
import { deleteKeysUnder, redisUnavailable, testKeyPrefix, TEST_REDIS_URL } from '../support/redis.ts';

entityCacheContract('memory', async () => createMemoryEntityCache());

if (!(await redisUnavailable())) {
  entityCacheContract(`redis (${TEST_REDIS_URL})`, async () => {
    const prefix = testKeyPrefix();
    const redis = new Redis(TEST_REDIS_URL);
    const cache = createRedisEntityCache(redis, prefix);
    return {
      ...cache,
      async close() {
        await deleteKeysUnder(prefix);
        await cache.close();
      },
    };
  });
}
