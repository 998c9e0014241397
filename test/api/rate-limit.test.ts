import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryTokenBuckets } from '../../src/backends/memory/token-bucket.ts';
import { API_KEYS_ENV, bearer, KEYS } from '../support/keys.ts';
import { deleteKeysUnder, redisUnavailable, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const QUERY = '{ health { ok } }';
const LIMITS = { STRATA_API_KEYS: API_KEYS_ENV, RATE_LIMIT_PER_SECOND: '0.01', RATE_LIMIT_BURST: '5' }; // one token per 100 s: no refill during a test

/** Sends `n` operations with `key` and counts answers by HTTP status. */
async function burst(app: TestApp, key: string, n: number): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  for (let i = 0; i < n; i++) {
    const res = await app.gql(QUERY, undefined, bearer(key));
    counts[res.status] = (counts[res.status] ?? 0) + 1;
  }
  return counts;
}

describe('token buckets', () => {
  it('hold `burst` tokens, refill at perSecond, and say when the next token is back', async () => {
    let now = 0;
    const buckets = createMemoryTokenBuckets({ perSecond: 2, burst: 3 }, () => now);
    const takes = async (n: number) => (await Promise.all(Array.from({ length: n }, () => buckets.take('k')))).map((r) => r.allowed);
    assert.deepEqual(await takes(4), [true, true, true, false]);
    assert.equal((await buckets.take('k')).retryAfterMs, 500);
    now = 500;
    assert.deepEqual(await takes(2), [true, false]);
    now = 10_000;
    assert.deepEqual(await takes(4), [true, true, true, false], 'never more than burst');
    assert.equal((await buckets.take('other')).allowed, true, 'one bucket per key');
  });
});

describe('per-key rate limiting (memory)', () => {
  it('answers RATE_LIMITED with 429 and Retry-After once a key spent its burst, and leaves other keys alone', async () => {
    const app = await createTestApp('memory', {}, undefined, LIMITS);
    try {
      assert.deepEqual(await burst(app, KEYS.read, 7), { 200: 5, 429: 2 });
      const res = await app.yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'rl-1', ...bearer(KEYS.read) }, body: JSON.stringify({ query: QUERY }) });
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '100');
      const body = await res.json();
      assert.deepEqual(body.errors[0].extensions, { code: 'RATE_LIMITED', retryAfterSeconds: 100, requestId: 'rl-1' });
      assert.deepEqual(await burst(app, KEYS.admin, 5), { 200: 5 }, 'another key has its own bucket');
      const batch = await app.yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(KEYS.write) },
        body: JSON.stringify(Array.from({ length: 7 }, () => ({ query: 'mutation { kvPut(key: "rl", value: 1) { key } }' }))),
      });
      const results = (await batch.json()) as { errors?: { extensions: { code: string } }[] }[];
      assert.equal(results.filter((r) => r.errors?.[0]?.extensions.code === 'RATE_LIMITED').length, 2, 'each operation of a batch takes a token');
    } finally {
      await app.close();
    }
  });

  it('does not limit an open gateway (no keys) or RATE_LIMIT_PER_SECOND=0', async () => {
    for (const env of [{ RATE_LIMIT_PER_SECOND: '0.5', RATE_LIMIT_BURST: '1' }, { ...LIMITS, RATE_LIMIT_PER_SECOND: '0' }]) {
      const app = await createTestApp('memory', {}, undefined, env);
      try {
        assert.deepEqual(await burst(app, KEYS.read, 10), { 200: 10 });
      } finally {
        await app.close();
      }
    }
  });
});

const skip = await redisUnavailable();

describe('per-key rate limiting (Redis)', { skip: skip ?? false }, () => {
  it('shares one bucket per key between gateway processes', async () => {
    const prefix = testKeyPrefix();
    const env = { ...LIMITS, REDIS_URL: TEST_REDIS_URL, KEY_PREFIX: prefix, CACHE_ENABLED: 'false' };
    const [one, two] = [await createTestApp('memory', {}, undefined, env), await createTestApp('memory', {}, undefined, env)];
    try {
      const first = await burst(one, KEYS.read, 3);
      const second = await burst(two, KEYS.read, 4);
      assert.deepEqual([first, second], [{ 200: 3 }, { 200: 2, 429: 2 }], 'five tokens in all, whichever process answers');
    } finally {
      await one.close();
      await two.close();
      await deleteKeysUnder(prefix);
    }
  });
});
