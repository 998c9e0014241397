import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createStrata, testConfig } from '../../src/index.ts';
import { createTestApp, silentLogger } from '../support/app.ts';
import { rejectsWithCode } from '../support/assert.ts';
import { deleteKeysUnder, redisUnavailable, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.ts';

describe('createStrata: the library entry point', () => {
  it('gives the same capabilities the resolvers use, with their validation', async () => {
    const strata = await createStrata(testConfig(), { logger: silentLogger });
    try {
      assert.deepEqual(await strata.kv.put('k', { a: 1 }), { key: 'k', value: { a: 1 }, expiresAt: null });
      assert.equal(await strata.queues.push('q', 'job'), 1);
      assert.equal(await strata.queues.pop('q'), 'job');
      assert.ok(await strata.locks.acquire('l', 1000));
      assert.equal((await strata.counters.record('t', true, 1)).totalExecutions, 1);
      assert.equal(await strata.series.add('s', 1), true);
      assert.equal(typeof strata.evaluations.getMany, 'function');
      await rejectsWithCode(strata.kv.put('a\nb', 1), 'BAD_USER_INPUT');
      await rejectsWithCode(strata.kv.put('d', new Date()), 'BAD_USER_INPUT', { field: 'value' });
    } finally {
      await strata.close();
    }
  });

  it('round-trips Date, Map, Set and BigInt with the superjson serializer', async () => {
    const strata = await createStrata(testConfig(), { logger: silentLogger, serializer: 'superjson' });
    const value = { at: new Date('2024-07-01T00:00:00Z'), ids: new Set(['a']), sizes: new Map([['x', 10n]]) };
    await strata.kv.put('rich', value);
    assert.deepEqual((await strata.kv.get('rich'))?.value, value);
    await strata.close();
  });

  it('shares the data with a gateway on the same Redis: a worker writes, GraphQL reads', async (t) => {
    if (await redisUnavailable()) return t.skip('Redis is not reachable');
    const prefix = testKeyPrefix();
    const env = { REDIS_URL: TEST_REDIS_URL, KEY_PREFIX: prefix };
    const worker = await createStrata(testConfig({}, env), { logger: silentLogger });
    const app = await createTestApp('memory', { platform: testConfig({}, env).platform });
    try {
      await worker.kv.put('from-worker', { n: 1 }, 60);
      await worker.queues.push('jobs', { id: 7 });
      const read = await app.gql('{ kv(key: "from-worker") { value } queue(name: "jobs") { length } }');
      assert.deepEqual(read.body.data, { kv: { value: { n: 1 } }, queue: { length: 1 } });
      const popped = await app.gql('mutation { queuePop(name: "jobs") }');
      assert.deepEqual(popped.body.data, { queuePop: { id: 7 } });
    } finally {
      await worker.close();
      await app.close();
      await deleteKeysUnder(prefix);
    }
  });
});
