import { after } from 'node:test';
import { Redis } from 'ioredis';
import { runningMirrorContract } from '../contract/running-mirror.ts';
import { deleteKeysUnder, keysUnder, redisUnavailable, TEST_REDIS_URL } from '../support/redis.ts';

// The Redis layer of running state (set, records, log tails) on the real Redis; the same suite
// runs on a Redis Cluster in redis-cluster.test.ts.
if (!(await redisUnavailable())) {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
  after(() => redis.disconnect());
  runningMirrorContract(`redis (${TEST_REDIS_URL})`, { client: redis, keysUnder: (prefix) => keysUnder(redis, prefix), deleteKeysUnder });
}
