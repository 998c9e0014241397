import type { OpenContext } from '../registry.ts';
import type { PlatformBackends } from '../platform-types.ts';
import type { BackendStatus } from '../types.ts';
import { BlockingPool } from './blocking-pool.ts';
import { closeRedis, connectRedis, describeTarget, usedMemoryBytes, type RedisTarget } from './connection.ts';
import { createRedisCounterStore } from './counter-store.ts';
import { keyLayout } from './keys.ts';
import { createRedisKvStore } from './kv-store.ts';
import { createRedisLockStore } from './lock-store.ts';
import { createRedisQueueStore } from './queue-store.ts';
import { createRedisSeriesStore } from './series-store.ts';

/**
 * The worker primitives on Redis: one shared command connection for everything that returns at
 * once, plus a bounded pool of connections for blocking pops. Nothing connects until first use.
 */
export function openRedisPlatform(ctx: OpenContext, target: RedisTarget): PlatformBackends {
  const { config, logger } = ctx;
  const redis = connectRedis(target, logger, { connectionName: 'strata-commands' });
  let popConnections = 0;
  const pool = new BlockingPool(config.platform.queuePopConnections, () =>
    // Blocking pops may wait up to QUEUE_MAX_WAIT_MS; a reconnect must not resend them late.
    // On a cluster each is a Cluster client of its own: a BRPOP blocks its node connection.
    connectRedis(target, logger, { connectionName: `strata-pop-${++popConnections}`, autoResend: false }),
  );
  const keys = keyLayout(config.platform.keyPrefix);
  const kv = createRedisKvStore(redis, keys, () => usedMemoryBytes(redis));

  ctx.onClose(async () => {
    pool.close();
    await closeRedis(redis);
  });
  ctx.reportStatus(() => redisStatus(target, async () => {
    const started = performance.now();
    await redis.ping();
    const latencyMs = performance.now() - started;
    const stats = await kv.stats();
    return { latencyMs, metrics: { keys: stats.totalKeys, expiringKeys: stats.expiringKeys, usedMemoryBytes: stats.memoryBytes, popConnections: pool.stats() } };
  }));

  return {
    kind: 'redis',
    kv,
    queues: createRedisQueueStore(redis, pool, keys),
    locks: createRedisLockStore(redis, keys),
    counters: createRedisCounterStore(redis, keys),
    series: createRedisSeriesStore(redis, keys),
  };
}

/** Health never throws: an unreachable Redis is reported unhealthy, with the reason. */
async function redisStatus(target: RedisTarget, probe: () => Promise<Pick<BackendStatus, 'latencyMs' | 'metrics'>>): Promise<BackendStatus> {
  const base = { name: 'redis', kind: 'redis', role: 'kv' };
  try {
    return { ...base, healthy: true, ...(await probe()) };
  } catch (err) {
    return { ...base, healthy: false, latencyMs: null, metrics: {}, error: `Redis at ${describeTarget(target)}: ${(err as Error).message}` };
  }
}
