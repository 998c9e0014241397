import { testConfig, type Config } from '../../src/config.ts';
import { createTestApp, type TestApp } from './app.ts';
import { postgresUnavailable } from './postgres.ts';
import { deleteKeysUnder, redisUnavailable, TEST_REDIS_URL, testKeyPrefix } from './redis.ts';

/** Where the running-state and log tests run: each primary store, and PostgreSQL with the Redis mirror. */
export type RunningTarget = 'memory' | 'pglite' | 'postgres' | 'postgres+redis';

/** Every target this machine can run: PostgreSQL and Redis ones only when reachable (under CI=true, required). */
export async function runningTargets(): Promise<RunningTarget[]> {
  const targets: RunningTarget[] = ['memory', 'pglite'];
  if (await postgresUnavailable()) return targets;
  targets.push('postgres');
  if (!(await redisUnavailable())) targets.push('postgres+redis');
  return targets;
}

export interface RunningTestApp extends TestApp {
  /** The test's own KEY_PREFIX when the target has Redis, else null. */
  keyPrefix: string | null;
}

/**
 * A test app on `target`. With Redis it gets a fresh KEY_PREFIX (its keys are deleted on close) and
 * the evaluation cache off, so that statement and round-trip counts measure running state only.
 */
export async function createRunningApp(target: RunningTarget, overrides: Partial<Config> = {}, redisUrl = TEST_REDIS_URL): Promise<RunningTestApp> {
  if (target !== 'postgres+redis') return { ...(await createTestApp(target, overrides)), keyPrefix: null };
  const keyPrefix = testKeyPrefix();
  // Only the platform's Redis settings are set: the evaluation cache is switched on by the REDIS_URL
  // variable, which a test config does not read, so it stays off.
  const app = await createTestApp('postgres', { ...overrides, platform: { ...(overrides.platform ?? testConfig().platform), redisUrl, keyPrefix } });
  return {
    ...app,
    keyPrefix,
    async close() {
      await app.close();
      if (redisUrl === TEST_REDIS_URL) await deleteKeysUnder(keyPrefix);
    },
  };
}
