import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { kvRangeContract } from '../contract/kv-range.ts';
import { kvContract } from '../contract/kv.ts';
import { lockContract } from '../contract/locks.ts';
import { queueContract } from '../contract/queues.ts';
import { taskCounterContract } from '../contract/task-counters.ts';
import { timeSeriesContract } from '../contract/time-series.ts';
import { platformFactory, type TestPlatform } from '../support/platform.ts';
import { OwnRedisCluster, redisClusterUnavailable } from '../support/redis-cluster.ts';

// The same suites as platform-redis.test.ts, unchanged, on a real three-master Redis Cluster that
// this file starts (REDIS_CLUSTER_NODES, so the gateway's own Redis.Cluster client; each test
// under its own KEY_PREFIX).
if (!redisClusterUnavailable()) {
  const cluster = await OwnRedisCluster.start();
  after(() => cluster.stop());
  const open = platformFactory('redis', cluster.underTest());
  const name = `redis cluster (${cluster.nodesEnv})`;
  kvContract(name, open);
  kvRangeContract(name, open);
  queueContract(name, open);
  lockContract(name, open);
  taskCounterContract(name, open);
  timeSeriesContract(name, open);

  // Names are user input: hash-tag syntax in them must never make a command span two slots.
  describe(`hostile names on ${name}`, () => {
    let p: TestPlatform;
    afterEach(() => p.close());
    it('keys, queue names, lock keys, task ids and series names with braces work and stay apart', async () => {
      p = await open();
      const names = ['{kv}', '{running}', '}{', '{', '}', '{}', '{a}b', 'a{b}', '{a}', '🚀{x}'];
      for (const [i, n] of names.entries()) {
        await p.kv.put(n, i);
        await p.queues.push(n, i);
        assert.ok(await p.locks.acquire(n, 60_000));
        await p.counters.record(n, true, i);
        await p.series.add(n, i);
      }
      for (const [i, n] of names.entries()) {
        assert.equal((await p.kv.get(n))?.value, i, n);
        assert.equal(await p.queues.pop(n), i, n);
        assert.equal(await p.locks.acquire(n, 60_000), null, n);
        assert.equal((await p.counters.get(n))?.totalExecutions, 1, n);
        assert.deepEqual((await p.series.range(n, {})).map((pt) => pt.value), [i], n);
      }
      assert.deepEqual((await p.kv.range({ prefix: '{', limit: 100 })).map((r) => r.key), ['{', '{a}', '{a}b', '{kv}', '{running}', '{}']);
    });
  });
}
