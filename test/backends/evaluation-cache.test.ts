import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createMemoryEntityCache, createRedisEntityCache, withEntityCache } from '../../src/backends/cache/index.ts';
import type { EntityCache } from '../../src/backends/cache/types.ts';
import { createMemoryEvaluationStore } from '../../src/backends/memory/evaluation-store.ts';
import { createPostgresEvaluationStore } from '../../src/backends/postgres/index.ts';
import { createRegistry, type Registry } from '../../src/backends/registry.ts';
import type { EvaluationStore } from '../../src/backends/types.ts';
import { testConfig } from '../../src/config.ts';
import { EvaluationService } from '../../src/services/evaluations.ts';
import { silentLogger } from '../support/app.ts';
import { createTestSchema, postgresUnavailable, TEST_DATABASE_URL } from '../support/postgres.ts';
import { deleteKeysUnder, redisUnavailable, testKeyPrefix, TEST_REDIS_URL } from '../support/redis.ts';

const limits = testConfig().limits;
const options = { ttlSeconds: 60, leaseMs: 2000, polls: 5, pollMs: 20 };

/** Counts how many evaluations the primary was asked for. */
function counting(store: EvaluationStore): EvaluationStore & { loads: Map<string, number> } {
  const loads = new Map<string, number>();
  return {
    ...store,
    loads,
    async getMany(ids) {
      for (const id of ids) loads.set(id, (loads.get(id) ?? 0) + 1);
      return store.getMany(ids);
    },
  };
}

/**
 * A primary whose reads return late: the snapshot is taken at once, the answer arrives a few
 * milliseconds later. This is the slow reader that could write an old value back after a write's
 * invalidation if fills were not guarded by leases.
 */
function slowReads(store: EvaluationStore): EvaluationStore {
  return {
    ...store,
    async getMany(ids) {
      const snapshot = await store.getMany(ids);
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      return snapshot;
    },
  };
}

/**
 * Writers bump metadata.v and record it once acknowledged; readers on both instances check that
 * what they read is never older than what had been acknowledged when their read began.
 */
async function staleReadRace(primary: EvaluationStore, a: EvaluationStore, b: EvaluationStore, ids: string[], writes: number, reads: number) {
  const acked = new Map(ids.map((id) => [id, 0]));
  let stale = 0;
  let done = false;
  const writer = async (store: EvaluationStore, id: string) => {
    // The writer reads the primary directly: reading through the cache would serialise it with the
    // readers' fills and hide the race under test.
    const service = new EvaluationService({ ...store, getMany: primary.getMany }, limits);
    for (let v = 1; v <= writes; v++) {
      await service.update(id, { metadata: { v } });
      acked.set(id, v);
      // Pauses between writes let a wrongly kept value linger long enough for readers to see it.
      if (v % 3 === 0) await new Promise((r) => setTimeout(r, Math.random() * 4));
    }
  };
  const reader = async (store: EvaluationStore, n: number) => {
    for (let i = 0; i < reads || !done; i++) {
      const id = ids[(n + i) % ids.length]!;
      const floor = acked.get(id)!;
      const seen = ((await store.getMany([id])).get(id)!.metadata['v'] as number | undefined) ?? 0;
      if (seen < floor) stale++;
      if (i > reads * 4) break;
    }
  };
  const writers = ids.map((id, i) => writer(i % 2 ? a : b, id));
  const readers = Array.from({ length: 8 }, (_, n) => reader(n % 2 ? a : b, n));
  await Promise.all(writers);
  done = true;
  await Promise.all(readers);
  return stale;
}

async function seed(store: EvaluationStore, ids: string[]) {
  const service = new EvaluationService(store, limits);
  for (const id of ids) await service.create({ id, code: 'x' });
}

describe('evaluation cache with fill leases (two instances sharing a cache)', () => {
  it('serves no stale read after an acknowledged write, even with slow readers (memory primary, memory cache)', async () => {
    const primary = slowReads(createMemoryEvaluationStore());
    const cache = createMemoryEntityCache();
    const a = withEntityCache(primary, cache, options, silentLogger);
    const b = withEntityCache(primary, cache, options, silentLogger);
    const ids = ['r1', 'r2', 'r3', 'r4'];
    await seed(a, ids);
    assert.equal(await staleReadRace(primary, a, b, ids, 300, 500), 0);
  });

  it('loads a just-invalidated key from the primary once for 500 concurrent readers', async () => {
    const primary = counting(createMemoryEvaluationStore());
    const cache = createMemoryEntityCache();
    const a = withEntityCache(primary, cache, options, silentLogger);
    const b = withEntityCache(primary, cache, options, silentLogger);
    await seed(a, ['hot']);
    await new EvaluationService(a, limits).update('hot', { metadata: { v: 1 } });
    primary.loads.clear();
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => (i % 2 ? a : b).getMany(['hot'])));
    assert.ok(results.every((r) => r.get('hot')!.metadata['v'] === 1));
    assert.equal(primary.loads.get('hot'), 1);
  });
});

const redisSkip = await redisUnavailable();
const pgSkip = await postgresUnavailable();

describe('evaluation cache on the real Redis', { skip: redisSkip ?? false }, () => {
  const prefix = testKeyPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  after(async () => {
    await deleteKeysUnder(prefix);
    redis.disconnect();
  });

  it('reads a page of 50 in constant round trips: get, lease, fill when cold; one get when warm', async () => {
    const cache = createRedisEntityCache(redis, prefix);
    const primary = counting(createMemoryEvaluationStore());
    const store = withEntityCache(primary, cache, options, silentLogger);
    const ids = Array.from({ length: 50 }, (_, i) => `p${i}`);
    await seed(store, ids);
    cache.stats.roundTrips = 0;
    assert.equal((await store.getMany(ids)).size, 50);
    assert.equal(cache.stats.roundTrips, 3);
    assert.equal((await store.getMany(ids)).size, 50);
    assert.equal(cache.stats.roundTrips, 4);
    assert.equal(primary.loads.get('p0'), 1, 'the warm read did not touch the primary');
  });

  it('holds off another instance while one fills, across instances', async () => {
    const primary = counting(createMemoryEvaluationStore());
    const cacheA: EntityCache = createRedisEntityCache(redis, prefix);
    const a = withEntityCache(primary, cacheA, options, silentLogger);
    const other = new Redis(TEST_REDIS_URL);
    const b = withEntityCache(primary, createRedisEntityCache(other, prefix), options, silentLogger);
    await seed(a, ['hot2']);
    await new EvaluationService(b, limits).update('hot2', { metadata: { v: 2 } });
    primary.loads.clear();
    await Promise.all(Array.from({ length: 500 }, (_, i) => (i % 2 ? a : b).getMany(['hot2'])));
    other.disconnect();
    assert.equal(primary.loads.get('hot2'), 1);
  });
});

describe('two gateway registries on one PostgreSQL and one Redis', { skip: (redisSkip ?? pgSkip) ?? false }, () => {
  it('serves zero stale reads across thousands of concurrent reads and writes', async () => {
    const schema = await createTestSchema();
    const keyPrefix = testKeyPrefix();
    const config = testConfig({ storage: { kind: 'postgres', url: TEST_DATABASE_URL, schema: schema.name, poolMax: 4 } }, { REDIS_URL: TEST_REDIS_URL, KEY_PREFIX: keyPrefix });
    const registries: Registry[] = [];
    try {
      registries.push(await createRegistry(config, silentLogger, { migrate: true }), await createRegistry(config, silentLogger, { migrate: false }));
      const [a, b] = registries.map((r) => r.evaluations) as [EvaluationStore, EvaluationStore];
      const ids = ['x1', 'x2', 'x3', 'x4'];
      await seed(a, ids);
      const primary = createPostgresEvaluationStore(registries[0]!.sql!);
      assert.equal(await staleReadRace(primary, a, b, ids, 250, 400), 0);
      const statuses = await registries[0]!.statuses();
      assert.ok(statuses.some((s) => s.role === 'cache' && s.healthy));
    } finally {
      for (const r of registries) await r.close();
      await schema.drop();
      await deleteKeysUnder(keyPrefix);
    }
  });
});
