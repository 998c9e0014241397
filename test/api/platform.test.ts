import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testConfig } from '../../src/config.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { deleteKeysUnder, redisUnavailable, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.ts';

/**
 * The worker primitives through GraphQL, on memory and (when reachable) Redis: the outline's names
 * work end to end, and bad input comes back as a coded, actionable error.
 */
const targets: ('memory' | 'redis')[] = (await redisUnavailable()) ? ['memory'] : ['memory', 'redis'];

for (const target of targets) {
  describe(`worker primitives over GraphQL (${target})`, () => {
    let app: TestApp;
    const prefix = testKeyPrefix();
    const platform = { ...testConfig().platform, queueMaxWaitMs: 5000, kvMaxValueBytes: 1000, ...(target === 'redis' ? { redisUrl: TEST_REDIS_URL, keyPrefix: prefix } : {}) };
    const gql = async (query: string, variables?: Record<string, unknown>) => {
      const { body } = await app.gql(query, variables);
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      return body.data;
    };
    const error = async (query: string, variables?: Record<string, unknown>) => {
      const { body } = await app.gql(query, variables);
      assert.ok(body.errors?.[0], `expected an error, got ${JSON.stringify(body)}`);
      return body.errors[0] as { message: string; extensions: Record<string, unknown> };
    };
    before(async () => void (app = await createTestApp('memory', { platform })));
    after(async () => {
      await app.close();
      if (target === 'redis') await deleteKeysUnder(prefix);
    });

    it('kvPut, kv, kvRange and kvDelete', async () => {
      const put = await gql('mutation { a: kvPut(key: "item:1", value: {n: 1}) { key value expiresAt } b: kvPut(key: "item:2", value: [2], ttlSeconds: 60) { expiresAt } }');
      assert.deepEqual(put.a, { key: 'item:1', value: { n: 1 }, expiresAt: null });
      assert.match(put.b.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.deepEqual((await gql('{ kv(key: "item:1") { value } }')).kv, { value: { n: 1 } });
      assert.equal((await gql('{ kv(key: "nope") { value } }')).kv, null);
      const range = await gql('{ kvRange(prefix: "item:", end: "item:2") { key } all: kvRange(start: "item:", limit: 5) { key } }');
      assert.deepEqual(range, { kvRange: [{ key: 'item:1' }], all: [{ key: 'item:1' }, { key: 'item:2' }] });
      assert.deepEqual(await gql('mutation { x: kvDelete(key: "item:1") y: kvDelete(key: "item:1") }'), { x: true, y: false });
    });

    it('queuePush, queue and queuePop', async () => {
      assert.deepEqual(await gql('mutation { a: queuePush(name: "jobs", item: {id: 1}) b: queuePush(name: "jobs", item: "two") }'), { a: 1, b: 2 });
      assert.deepEqual((await gql('{ queue(name: "jobs") { name length } }')).queue, { name: 'jobs', length: 2 });
      const popped = await gql('mutation { a: queuePop(name: "jobs") b: queuePop(name: "jobs", timeoutMs: 10) c: queuePop(name: "jobs", timeoutMs: 10) }');
      assert.deepEqual(popped, { a: { id: 1 }, b: 'two', c: null });
    });

    it('lockAcquire and lockRelease', async () => {
      const { lockAcquire: token } = await gql('mutation { lockAcquire(key: "deploy", ttlMs: 30000) }');
      assert.equal(typeof token, 'string');
      assert.deepEqual(await gql('mutation { lockAcquire(key: "deploy", ttlMs: 30000, waitMs: 20) }'), { lockAcquire: null });
      const release = 'mutation($t: String!) { lockRelease(key: "deploy", token: $t) }';
      assert.deepEqual(await gql(release, { t: 'wrong' }), { lockRelease: false });
      assert.deepEqual(await gql(release, { t: token }), { lockRelease: true });
    });

    it('recordExecution and taskStats', async () => {
      await gql('mutation { recordExecution(taskId: "t1", success: true, durationMs: 12.5) { totalExecutions } }');
      const { recordExecution: stats } = await gql('mutation { recordExecution(taskId: "t1", success: false, durationMs: 3) { taskId totalExecutions successfulExecutions failedExecutions lastDurationMs lastExecutionAt } }');
      assert.deepEqual({ ...stats, lastExecutionAt: typeof stats.lastExecutionAt }, { taskId: 't1', totalExecutions: 2, successfulExecutions: 1, failedExecutions: 1, lastDurationMs: 3, lastExecutionAt: 'string' });
      assert.deepEqual(await gql('{ taskStats(taskId: "t1") { totalExecutions } none: taskStats(taskId: "t2") { totalExecutions } }'), { taskStats: { totalExecutions: 2 }, none: null });
    });

    it('addSeriesPoint and series', async () => {
      for (const [s, v] of [[0, 1.5], [1, 2.5], [2, 3.5]] as const) {
        assert.deepEqual(await gql(`mutation { addSeriesPoint(name: "cpu", value: ${v}, timestamp: "2024-07-01T12:00:0${s}Z") }`), { addSeriesPoint: true });
      }
      const { series } = await gql('{ series(name: "cpu", from: "2024-07-01T12:00:01Z", last: 1) { value timestamp } }');
      assert.deepEqual(series, [{ value: 3.5, timestamp: '2024-07-01T12:00:02.000Z' }]);
    });

    it('answers hostile input with BAD_USER_INPUT and a message that says what to change', async () => {
      const cases: [string, Record<string, unknown>, RegExp][] = [
        ['mutation($k: String!) { kvPut(key: $k, value: 1) { key } }', { k: 'a\nb' }, /control character \(U\+000a at index 1\)/],
        ['mutation($k: String!) { kvPut(key: $k, value: 1) { key } }', { k: 'k'.repeat(2000) }, /2000 bytes; the limit is 1024/],
        ['mutation { kvPut(key: "k", value: 1, ttlSeconds: -5) { key } }', {}, /ttlSeconds must be a whole number from 0/],
        ['mutation($v: JSON!) { kvPut(key: "k", value: $v) { key } }', { v: 'x'.repeat(2000) }, /KV_MAX_VALUE_BYTES/],
        ['mutation { queuePop(name: "q", timeoutMs: 5001) }', {}, /timeoutMs must be a whole number from 0 to 5000 \(QUEUE_MAX_WAIT_MS\)/],
        ['mutation { lockAcquire(key: "k", ttlMs: 0) }', {}, /ttlMs must be at least 1/],
        ['{ kvRange(prefix: "a\\tb") { key } }', {}, /prefix contains a control character/],
        ['{ series(name: "s", from: "2024-07-02T00:00:00Z", to: "2024-07-01T00:00:00Z") { value } }', {}, /from .* is after to/],
      ];
      for (const [query, variables, message] of cases) {
        const e = await error(query, variables);
        assert.equal(e.extensions['code'], 'BAD_USER_INPUT', `${query}: ${e.message}`);
        assert.match(e.message, message);
      }
      const nullValue = await error('mutation($v: JSON!) { kvPut(key: "k", value: $v) { key } }', { v: null });
      assert.equal(nullValue.extensions['code'], 'BAD_USER_INPUT');
      assert.equal((await gql('{ kv(key: "k") { key } }')).kv, null, 'nothing was stored');
    });

    it('treats glob characters in a prefix literally', async () => {
      await gql('mutation { a: kvPut(key: "g*1", value: 1) { key } b: kvPut(key: "gx", value: 1) { key } c: kvPut(key: "g[1]", value: 1) { key } }');
      const { star, bracket, question } = await gql('{ star: kvRange(prefix: "g*") { key } bracket: kvRange(prefix: "g[") { key } question: kvRange(prefix: "g?") { key } }');
      assert.deepEqual([star, bracket, question], [[{ key: 'g*1' }], [{ key: 'g[1]' }], []]);
    });

    it('reports the backend in storage', async () => {
      const { storage } = await gql('{ storage { backends { name role healthy metrics } } }');
      const kv = storage.backends.find((b: { role: string }) => b.role === 'kv');
      assert.deepEqual([kv.name, kv.healthy, typeof kv.metrics.keys], [target, true, 'number']);
    });
  });
}
