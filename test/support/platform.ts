import { openPlatformBackends } from '../../src/backends/platform.ts';
import type { PlatformBackends } from '../../src/backends/platform-types.ts';
import type { OpenContext } from '../../src/backends/registry.ts';
import type { BackendStatus } from '../../src/backends/types.ts';
import { testConfig, type Config } from '../../src/config.ts';
import { createPlatform, type Platform } from '../../src/services/platform/index.ts';
import { silentLogger } from './app.ts';
import { deleteKeysUnder, TEST_REDIS_URL, testKeyPrefix } from './redis.ts';

export type PlatformKind = 'memory' | 'redis';

export interface TestPlatform extends Platform {
  config: Config;
  backends: PlatformBackends;
  status(): Promise<BackendStatus>;
  /** Closes the backends and deletes the test's Redis keys. */
  close(): Promise<void>;
}

/** Given extra environment variables (limits, TTLs), opens a fresh, empty platform. */
export type PlatformFactory = (env?: Record<string, string>) => Promise<TestPlatform>;

/** Which Redis a 'redis' platform uses: the variables that name it, and how to delete a test's keys. */
export interface RedisUnderTest {
  env: Record<string, string>;
  deleteKeysUnder(prefix: string): Promise<unknown>;
}

const TEST_REDIS: RedisUnderTest = { env: { REDIS_URL: TEST_REDIS_URL }, deleteKeysUnder };

/**
 * Opens the worker primitives the way the registry does (same opener, same services), on memory
 * or on the test Redis (or `redis`, e.g. a Redis Cluster) under a fresh KEY_PREFIX.
 */
export function platformFactory(kind: PlatformKind, redis: RedisUnderTest = TEST_REDIS): PlatformFactory {
  return async (env = {}) => {
    const prefix = testKeyPrefix();
    const redisEnv = kind === 'redis' ? { ...redis.env, KEY_PREFIX: prefix } : {};
    const config = testConfig({}, { ...redisEnv, ...env });
    const cleanups: (() => Promise<void>)[] = [];
    const statuses: (() => Promise<BackendStatus>)[] = [];
    const ctx: OpenContext = {
      config,
      logger: silentLogger,
      sql: null,
      onClose: (cleanup) => cleanups.push(cleanup),
      reportStatus: (check) => statuses.push(check),
    };
    const backends = openPlatformBackends(ctx);
    return {
      ...createPlatform(backends, config),
      config,
      backends,
      status: () => statuses[0]!(),
      async close() {
        for (const cleanup of cleanups.reverse()) await cleanup();
        if (kind === 'redis') await redis.deleteKeysUnder(prefix);
      },
    };
  };
}
