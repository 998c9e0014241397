import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { serviceUnavailable } from './service.ts';

/**
 * The real Redis the tests run against: TEST_REDIS_URL, else REDIS_URL, else this machine's
 * server. Each test gets its own KEY_PREFIX, so parallel files and repeated runs never collide,
 * and deletes its keys afterwards.
 */
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Null when Redis answers, else the skip reason (a failure under CI=true). */
export async function redisUnavailable(): Promise<string | null> {
  return serviceUnavailable('Redis', TEST_REDIS_URL, 'TEST_REDIS_URL', async () => {
    const probe = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
    probe.on('error', () => {}); // the failed connect is reported through connect()'s rejection
    try {
      await probe.connect();
      await probe.ping();
    } finally {
      probe.disconnect();
    }
  });
}

/** A KEY_PREFIX of its own for one test: letters and digits only, so it is also a literal MATCH pattern. */
export function testKeyPrefix(): string {
  return `strata-test-${randomBytes(6).toString('hex')}:`;
}

/**
 * Every key under `prefix`, by SCAN: test bookkeeping only (the code under test never scans).
 * Returns them sorted, so a test can also assert on the key layout.
 */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  const stream = redis.scanStream({ match: `${prefix}*`, count: 1000 });
  for await (const batch of stream) found.push(...(batch as string[]));
  return found.sort();
}

/** Deletes every key under `prefix`; returns how many there were. */
export async function deleteKeysUnder(prefix: string): Promise<number> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const keys = await keysUnder(redis, prefix);
    for (let i = 0; i < keys.length; i += 500) await redis.unlink(...keys.slice(i, i + 500));
    return keys.length;
  } finally {
    redis.disconnect();
  }
}
