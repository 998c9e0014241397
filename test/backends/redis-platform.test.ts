import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { keyLayout } from '../../src/backends/redis/keys.ts';
import { createRedisKvStore } from '../../src/backends/redis/kv-store.ts';
import { eventually } from '../support/eventually.ts';
import { platformFactory, type TestPlatform } from '../support/platform.ts';
import { deleteKeysUnder, keysUnder, redisUnavailable, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.ts';

/** Redis Cluster's rule: the slot is computed from the text between the first "{" and the next "}". */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}

// What only Redis has: its key layout, the index behind ranges, TTL refreshes, health.
if (!(await redisUnavailable())) {
  describe('Redis worker primitives: layout and internals', () => {
    const open = platformFactory('redis');
    let raw: Redis;
    let p: TestPlatform;
    before(() => void (raw = new Redis(TEST_REDIS_URL)));
    after(() => raw.quit());
    afterEach(() => p?.close());

    it('lays keys out under KEY_PREFIX; every KV key shares the "{kv}" slot, the others have no tag', async () => {
      p = await open();
      const prefix = p.config.platform.keyPrefix;
      await p.kv.put('user:{x}:1', 1, 60);
      await p.queues.push('q', 1);
      await p.locks.acquire('l', 60_000);
      await p.counters.record('t', true, 1);
      await p.series.add('s', 1);
      const keys = await keysUnder(raw, prefix);
      assert.deepEqual(keys.map((k) => k.slice(prefix.length)), ['lock:l', 'queue:q', 'series:s', 'taskstats:t', '{kv}:expiry', '{kv}:index', '{kv}:v:user:{x}:1']);
      assert.deepEqual(new Set(keys.filter((k) => k.includes('{kv}')).map(hashTag)), new Set(['kv']));
      assert.equal(hashTag(`${prefix}queue:q`), `${prefix}queue:q`);
    });

    it('refreshes the expiry of task counters and series on every write', async () => {
      p = await open();
      const prefix = p.config.platform.keyPrefix;
      await p.counters.record('t', true, 1);
      await p.series.add('s', 1);
      await raw.pexpire(`${prefix}taskstats:t`, 5000);
      await raw.pexpire(`${prefix}series:s`, 5000);
      await p.counters.record('t', false, 2);
      await p.series.add('s', 2);
      assert.ok((await raw.pttl(`${prefix}taskstats:t`)) > 86_000_000, 'back to TASK_STATS_TTL_SECONDS (24 h)');
      assert.ok((await raw.pttl(`${prefix}series:s`)) > 604_000_000, 'back to SERIES_TTL_SECONDS (7 days)');
    });

    it('sweeps expired keys out of both indexes as later puts arrive', async () => {
      p = await open();
      const prefix = p.config.platform.keyPrefix;
      for (let i = 0; i < 30; i++) await p.kv.put(`old:${i}`, i, 1);
      await eventually('the old keys to expire', async () => ((await p.kv.get('old:29')) === null ? true : undefined));
      assert.equal(await raw.zcard(`${prefix}{kv}:index`), 30, 'expired members linger until swept');
      await p.kv.put('new:1', 1);
      await p.kv.put('new:2', 2);
      assert.equal(await raw.zcard(`${prefix}{kv}:index`), 2);
      assert.equal(await raw.zcard(`${prefix}{kv}:expiry`), 0);
    });

    it('reports health with key counts and memory, and an unreachable Redis as unhealthy without throwing', async () => {
      p = await open();
      await p.kv.put('a', 1, 60);
      await p.kv.put('b', 1);
      const status = await p.status();
      assert.deepEqual([status.name, status.role, status.healthy], ['redis', 'kv', true]);
      assert.deepEqual([status.metrics['keys'], status.metrics['expiringKeys']], [2, 1]);
      assert.ok((status.metrics['usedMemoryBytes'] as number) > 0);
      const down = await open({ REDIS_URL: 'redis://127.0.0.1:1' });
      const bad = await down.status();
      assert.deepEqual([bad.healthy, bad.latencyMs], [false, null]);
      assert.match(bad.error ?? '', /Redis at 127\.0\.0\.1:1/);
      await assert.rejects(down.kv.put('k', 1));
      await down.close();
    });
  });

  describe('Redis KV ranges: served by the index, never KEYS or SCAN', () => {
    const prefix = testKeyPrefix();
    let redis: Redis;
    const commands: string[] = [];
    before(() => {
      redis = new Redis(TEST_REDIS_URL);
      const send = redis.sendCommand.bind(redis);
      redis.sendCommand = (command, ...rest) => (commands.push(command.name.toLowerCase()), send(command, ...rest));
    });
    after(async () => {
      redis.disconnect();
      await deleteKeysUnder(prefix);
    });

    it('reads a page of a large keyspace in one script call, and continues past long expired stretches', async () => {
      const kv = createRedisKvStore(redis, keyLayout(prefix), async () => null);
      const puts = [];
      for (let i = 0; i < 10_000; i++) puts.push(kv.put(`k:${String(i).padStart(5, '0')}`, String(i), null));
      puts.push(kv.put('f:1', '"after"', null));
      await Promise.all(puts);
      // Written last, and nothing written after them: no put's sweep removes them before the range does.
      await Promise.all(Array.from({ length: 2500 }, (_, i) => kv.put(`e:${String(i).padStart(5, '0')}`, 'x', 1000)));
      await eventually('the e: keys to expire', async () => ((await kv.get('e:02499')) === null ? true : undefined));

      commands.length = 0;
      const page = await kv.range({ prefix: 'k:', start: 'k:05000' }, 10);
      assert.deepEqual(page.map((r) => r.key), Array.from({ length: 10 }, (_, i) => `k:0${5000 + i}`));
      assert.equal(commands.length, 1, `one round trip, got ${commands.join(' ')}`);

      commands.length = 0;
      const afterExpired = await kv.range({ start: 'e:' }, 1);
      assert.deepEqual(afterExpired.map((r) => r.key), ['f:1']);
      assert.equal(commands.filter((c) => c === 'evalsha').length, 3, '2500 expired members at 1000 per call, then the live one');
      assert.deepEqual(commands.filter((c) => c === 'keys' || c === 'scan'), []);
      assert.equal(await redis.zcard(`${prefix}{kv}:index`), 10_001, 'the expired members were cleaned on the way');
    });
  });
}
