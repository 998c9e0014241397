import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { closeRedis, keyCount, usedMemoryBytes, type RedisClient } from '../redis/connection.ts';
import { eachPerNode, mgetPerSlot } from '../redis/slots.ts';
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
  fillIfLeased(valueKey: string, leaseKey: string, token: string, value: string, ttlSeconds: number): unknown;
}

/**
 * EntityCache on Redis. `keyPrefix` namespaces every key; keys are `<prefix>{<key>}` for the value
 * and `<prefix>{<key>}:lease` for its fill lease.
 *
 * Redis Cluster: a value and its lease share the hash tag {<key>}, so one slot, so FILL_IF_LEASED
 * and the DEL of both are valid; different keys are spread over every slot (and master) on
 * purpose, so the cache scales with the cluster. Each method is therefore one MGET per slot or
 * one command per key, pipelined per node (slots.ts): one round trip on one server, one per
 * master holding any of the keys on a cluster, sent in parallel. `stats.roundTrips` counts the
 * pipelines, for tests that prove the batching.
 */
export function createRedisEntityCache(redis: RedisClient, keyPrefix: string): EntityCache & { stats: { roundTrips: number } } {
  redis.defineCommand('fillIfLeased', { numberOfKeys: 2, lua: FILL_IF_LEASED });
  const valueKey = (k: string) => `${keyPrefix}{${k}}`;
  const leaseKey = (k: string) => `${keyPrefix}{${k}}:lease`;
  const stats = { roundTrips: 0 };
  const counted = <T,>(batched: { values: T[]; roundTrips: number }): T[] => {
    stats.roundTrips += batched.roundTrips;
    return batched.values;
  };
  return {
    kind: 'redis',
    stats,
    async get(keys) {
      if (keys.length === 0) return [];
      return counted(await mgetPerSlot(redis, keys.map(valueKey)));
    },
    async lease(keys, ttlMs) {
      if (keys.length === 0) return [];
      const tokens = keys.map(() => randomUUID());
      const leases = keys.map(leaseKey);
      const results = counted(await eachPerNode(redis, leases, (pipeline, i) => pipeline.set(leases[i]!, tokens[i]!, 'PX', ttlMs, 'NX')));
      return results.map((ok, i) => (ok === 'OK' ? tokens[i]! : null));
    },
    async fill(entries, ttlSeconds) {
      if (entries.length === 0) return [];
      const values = entries.map((e) => valueKey(e.key));
      const results = counted(
        await eachPerNode(redis, values, (pipeline, i) => {
          const e = entries[i]!;
          (pipeline as typeof pipeline & FillCommand).fillIfLeased(values[i]!, leaseKey(e.key), e.token, e.value, ttlSeconds);
        }),
      );
      return results.map((r) => r === 1);
    },
    async invalidate(keys) {
      if (keys.length === 0) return;
      const values = keys.map(valueKey);
      counted(await eachPerNode(redis, values, (pipeline, i) => pipeline.del(values[i]!, leaseKey(keys[i]!))));
    },
    async status() {
      const started = performance.now();
      try {
        await redis.ping();
        const latencyMs = performance.now() - started;
        return { name: 'redis', kind: 'redis', role: 'cache', healthy: true, latencyMs, metrics: { keys: await keyCount(redis), usedMemoryBytes: await usedMemoryBytes(redis) } };
      } catch (err) {
        return { name: 'redis', kind: 'redis', role: 'cache', healthy: false, latencyMs: null, metrics: {}, error: String(err) };
      }
    },
    close: () => closeRedis(redis),
  };
}
