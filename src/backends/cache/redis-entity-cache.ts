import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import { closeRedis, usedMemoryBytes } from '../redis/connection.ts';
import type { EntityCache } from './types.ts';

// Stores a value only while the caller's lease is still in place, then drops the lease. The value
// and its lease share a hash tag ({...}), so on a Redis Cluster both keys live in one slot and the
// script may touch them together.
const FILL_IF_LEASED = `
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  redis.call('DEL', KEYS[2])
  return 1
end
return 0`;

interface FillCommand {
  fillIfLeased(valueKey: string, leaseKey: string, token: string, value: string, ttlSeconds: number): Promise<number>;
}

/**
 * EntityCache on Redis. `keyPrefix` namespaces every key; keys are `<prefix>{<key>}` for the value
 * and `<prefix>{<key>}:lease` for its fill lease. Each method is one round trip (one MGET, or one
 * pipeline). `stats.roundTrips` counts them, for tests that prove batching.
 */
export function createRedisEntityCache(redis: Redis, keyPrefix: string): EntityCache & { stats: { roundTrips: number } } {
  redis.defineCommand('fillIfLeased', { numberOfKeys: 2, lua: FILL_IF_LEASED });
  const valueKey = (k: string) => `${keyPrefix}{${k}}`;
  const leaseKey = (k: string) => `${keyPrefix}{${k}}:lease`;
  const stats = { roundTrips: 0 };
  const exec = async (pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> => {
    stats.roundTrips++;
    const results = (await pipeline.exec()) ?? [];
    return results.map(([err, value]) => {
      if (err) throw err;
      return value;
    });
  };
  return {
    kind: 'redis',
    stats,
    async get(keys) {
      if (keys.length === 0) return [];
      stats.roundTrips++;
      return redis.mget(keys.map(valueKey));
    },
    async lease(keys, ttlMs) {
      if (keys.length === 0) return [];
      const tokens = keys.map(() => randomUUID());
      const pipeline = redis.pipeline();
      keys.forEach((k, i) => pipeline.set(leaseKey(k), tokens[i]!, 'PX', ttlMs, 'NX'));
      const results = await exec(pipeline);
      return results.map((ok, i) => (ok === 'OK' ? tokens[i]! : null));
    },
    async fill(entries, ttlSeconds) {
      if (entries.length === 0) return [];
      const pipeline = redis.pipeline() as ReturnType<Redis['pipeline']> & FillCommand;
      for (const e of entries) pipeline.fillIfLeased(valueKey(e.key), leaseKey(e.key), e.token, e.value, ttlSeconds);
      return (await exec(pipeline)).map((r) => r === 1);
    },
    async invalidate(keys) {
      if (keys.length === 0) return;
      const pipeline = redis.pipeline();
      for (const k of keys) pipeline.del(valueKey(k), leaseKey(k));
      await exec(pipeline);
    },
    async status() {
      const started = performance.now();
      try {
        await redis.ping();
        const latencyMs = performance.now() - started;
        return { name: 'redis', kind: 'redis', role: 'cache', healthy: true, latencyMs, metrics: { keys: await redis.dbsize(), usedMemoryBytes: await usedMemoryBytes(redis) } };
      } catch (err) {
        return { name: 'redis', kind: 'redis', role: 'cache', healthy: false, latencyMs: null, metrics: {}, error: String(err) };
      }
    },
    close: () => closeRedis(redis),
  };
}
