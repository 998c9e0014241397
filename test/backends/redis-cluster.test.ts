import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import calculateSlot from 'cluster-key-slot';
import type { Cluster, Redis } from 'ioredis';
import { createRedisEntityCache, withEntityCache } from '../../src/backends/cache/index.ts';
import { createMemoryEvaluationStore } from '../../src/backends/memory/evaluation-store.ts';
import { keyLayout } from '../../src/backends/redis/keys.ts';
import { runningKeys } from '../../src/backends/redis/running-keys.ts';
import type { EvaluationStore } from '../../src/backends/types.ts';
import { testConfig } from '../../src/config.ts';
import { EvaluationService } from '../../src/services/evaluations.ts';
import { entityCacheContract } from '../contract/entity-cache.ts';
import { runningMirrorContract } from '../contract/running-mirror.ts';
import { silentLogger } from '../support/app.ts';
import { commandCalls, OwnRedisCluster, redisClusterUnavailable } from '../support/redis-cluster.ts';
import { testKeyPrefix } from '../support/redis.ts';

/**
 * The Redis suites that are not worker primitives (those are in platform-redis-cluster.test.ts),
 * unchanged, on a three-master Redis Cluster this file starts: the evaluation cache's EntityCache
 * contract and the running set / log tail contract. Then what only a cluster has: which keys share
 * a slot, and cache reads batched per slot and per node instead of one cross-slot MGET.
 */
if (!redisClusterUnavailable()) {
  const cluster = await OwnRedisCluster.start();
  const client = cluster.client();
  after(async () => {
    client.disconnect();
    await cluster.stop();
  });
  const name = `redis cluster (${cluster.nodesEnv})`;

  entityCacheContract(name, async () => {
    const prefix = testKeyPrefix();
    const own = cluster.client();
    const cache = createRedisEntityCache(own, prefix);
    return {
      ...cache,
      async close() {
        await cluster.deleteKeysUnder(prefix);
        await cache.close();
      },
    };
  });

  runningMirrorContract(name, { client, keysUnder: (prefix) => cluster.keysUnder(prefix), deleteKeysUnder: (prefix) => cluster.deleteKeysUnder(prefix) });

  describe(`Redis Cluster key layout and batching: ${name}`, () => {
    const limits = testConfig().limits;
    const options = { ttlSeconds: 60, leaseMs: 2000, polls: 5, pollMs: 20 };
    let masters: Redis[];
    const nodeOf = (key: string) => client.slots[calculateSlot(key)]![0]!;
    before(async () => {
      await client.ping(); // loads the slot map
      masters = cluster.ports.map((port) => cluster.node(port));
    });
    after(() => masters.forEach((m) => m.disconnect()));

    /** Calls of each command on each master while `fn` runs (INFO commandstats, reset first). */
    async function callsDuring(fn: () => Promise<unknown>): Promise<Map<string, number>[]> {
      await Promise.all(masters.map((m) => m.config('RESETSTAT')));
      await fn();
      return Promise.all(masters.map((m) => commandCalls(m)));
    }

    it('keeps keys that one command or script spans in one slot, and spreads the rest', () => {
      const prefix = 'strata:';
      const kv = keyLayout(prefix);
      const running = runningKeys(prefix);
      const slots = (keys: string[]) => new Set(keys.map((k) => calculateSlot(k)));
      assert.equal(slots([kv.kvValue('a'), kv.kvValue('zz{x}'), kv.kvIndex, kv.kvExpiry]).size, 1, 'a KV value and both indexes');
      assert.equal(slots([running.set, running.built, running.generation, running.hash('e1'), running.hash('e2')]).size, 1, 'the running set, its marker and records');
      assert.equal(slots([`${prefix}cache:{eval:e1}`, `${prefix}cache:{eval:e1}:lease`]).size, 1, 'a cached value and its fill lease');
      const ids = Array.from({ length: 100 }, (_, i) => `e${i}`);
      assert.ok(slots(ids.map((id) => running.logTail(id))).size > 90, 'log tails spread over slots');
      assert.ok(slots(ids.map((id) => `${prefix}cache:{eval:${id}}`)).size > 90, 'cached evaluations spread over slots');
      assert.ok(slots(ids.map((id) => kv.queue(id))).size > 90, 'queues (and locks, counters, series) spread over slots');
    });

    it('a plain MGET across slots is refused (CROSSSLOT): the reason for per-slot batching', async () => {
      await assert.rejects(masters[0]!.mget('{a}x', '{b}x'), /CROSSSLOT/);
    });

    it('reads 100 cached evaluations spread over all three masters: one MGET per slot, one pipeline per master', async () => {
      const prefix = testKeyPrefix();
      const cache = createRedisEntityCache(client, `${prefix}cache:`);
      const store: EvaluationStore = withEntityCache(createMemoryEvaluationStore(), cache, options, silentLogger);
      const ids = Array.from({ length: 100 }, (_, i) => `spread-${i}`);
      const service = new EvaluationService(store, limits);
      for (const id of ids) await service.create({ id, code: 'x' });
      const keys = ids.map((id) => `${prefix}cache:{eval:${id}}`);
      const perNode = new Map<string, Set<number>>();
      for (const key of keys) perNode.set(nodeOf(key), (perNode.get(nodeOf(key)) ?? new Set()).add(calculateSlot(key)));
      assert.equal(perNode.size, 3, 'the ids live on all three masters');

      cache.stats.roundTrips = 0;
      const cold = await callsDuring(async () => assert.equal((await store.getMany(ids)).size, 100));
      assert.equal(cache.stats.roundTrips, 9, 'cold: get, lease and fill, each one pipeline per master');
      const total = (command: string) => cold.map((c) => c.get(command) ?? 0).reduce((a, b) => a + b);
      // The first fill on each master sends the script itself (EVAL), later ones its hash (EVALSHA).
      assert.deepEqual([total('evalsha') + total('eval'), total('set')], [100, 200], 'per id: a lease (SET NX) and a fill script (its SET counts too)');

      cache.stats.roundTrips = 0;
      const warm = await callsDuring(async () => {
        const read = await store.getMany(ids);
        assert.deepEqual([...read.keys()].sort(), [...ids].sort());
      });
      assert.equal(cache.stats.roundTrips, 3, 'warm: one pipeline per master, sent together');
      const expected = cluster.ports.map((port) => perNode.get(`127.0.0.1:${port}`)?.size ?? 0);
      assert.deepEqual(warm.map((c) => c.get('mget') ?? 0), expected, 'each master ran one MGET per slot it holds of these keys');
      assert.ok(warm.every((c) => !c.has('get') && !c.has('set') && !c.has('evalsha')), 'a warm read is MGETs only');
      await cluster.deleteKeysUnder(prefix);
    });

    it('the running list is one script call on the master of {running}, whatever the number of records', async () => {
      const prefix = testKeyPrefix();
      const { createRedisRunningSet } = await import('../../src/backends/redis/running-set.ts');
      const keys = runningKeys(prefix);
      const set = createRedisRunningSet(client as Cluster, keys);
      const records = Array.from({ length: 50 }, (_, i) => ({ evaluationId: `r${i}`, containerId: null, host: null, info: {}, startedAt: new Date(0), heartbeatAt: null, version: 1 }));
      assert.equal(await set.rebuild(records, await set.generation()), true);
      await set.list(); // loads the script on that master
      const calls = await callsDuring(async () => assert.equal((await set.list())!.length, 50));
      const owner = cluster.ports.indexOf(Number(nodeOf(keys.set).split(':')[1]));
      assert.deepEqual(calls.map((c) => c.get('evalsha') ?? 0), cluster.ports.map((_, i) => (i === owner ? 1 : 0)));
      await cluster.deleteKeysUnder(prefix);
    });
  });
}
