import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createMemoryEntityCache, createRedisEntityCache } from '../../src/backends/cache/index.ts';
import { entityCacheContract } from '../contract/entity-cache.ts';
import { sharedRedisUnavailable, TEST_REDIS_URL } from '../support/redis-server.ts';

entityCacheContract('memory', async () => createMemoryEntityCache());

if (!(await sharedRedisUnavailable())) {
  entityCacheContract(`redis (${TEST_REDIS_URL})`, async () => {
    const prefix = `strata-test:${randomBytes(4).toString('hex')}:`;
    const redis = new Redis(TEST_REDIS_URL);
    const cache = createRedisEntityCache(redis, prefix);
    return {
      ...cache,
      async close() {
        const keys = await redis.keys(`${prefix}*`); // test cleanup of this run's own keys only
        if (keys.length) await redis.del(...keys);
        await cache.close();
      },
    };
  });
}
