import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { rejectsWithCode } from '../support/assert.ts';
import { eventually } from '../support/eventually.ts';
import type { PlatformFactory, TestPlatform } from '../support/platform.ts';

/**
 * The key-value store contract (seed 003), run against every backend (test/backends/platform-*).
 * Ranges have their own suite in kv-range.ts.
 */
export function kvContract(name: string, open: PlatformFactory): void {
  describe(`KV contract: ${name}`, () => {
    let p: TestPlatform;
    const fresh = async (env?: Record<string, string>) => (p = await open(env));
    afterEach(() => p.close());

    it('stores and returns JSON values of every kind; a put replaces the value', async () => {
      const { kv } = await fresh();
      const values = [{ name: 'John Doe', tags: ['a'], n: 1.5, ok: true, none: null }, ['x', 2], 'text', 0, false];
      for (const [i, value] of values.entries()) {
        assert.deepEqual(await kv.put(`user:${i}`, value), { key: `user:${i}`, value, expiresAt: null });
        assert.deepEqual(await kv.get(`user:${i}`), { key: `user:${i}`, value, expiresAt: null });
      }
      await kv.put('user:0', { name: 'Jane' });
      assert.deepEqual((await kv.get('user:0'))?.value, { name: 'Jane' });
      assert.equal(await kv.get('missing'), null);
      assert.equal(await kv.exists('user:1'), true);
      assert.equal(await kv.exists('missing'), false);
    });

    it('stores a copy: changing the object after the put changes nothing', async () => {
      const { kv } = await fresh();
      const value = { list: [1, 2] };
      await kv.put('k', value);
      value.list.push(3);
      assert.deepEqual((await kv.get('k'))?.value, { list: [1, 2] });
    });

    it('deletes: true for a live key, false after', async () => {
      const { kv } = await fresh();
      await kv.put('k', 1);
      assert.equal(await kv.delete('k'), true);
      assert.equal(await kv.delete('k'), false);
      assert.equal(await kv.get('k'), null);
      assert.deepEqual(await kv.range(), []);
    });

    it('TTL: explicit seconds, the configured default when omitted, 0 for never', async () => {
      const { kv } = await fresh({ KV_DEFAULT_TTL: '100' });
      const before = Date.now();
      const explicit = await kv.put('a', 1, 3600);
      const byDefault = await kv.put('b', 1);
      const never = await kv.put('c', 1, 0);
      const after = Date.now();
      // Expiry times come from the server's clock (Redis TIME); allow a second of skew.
      const within = (at: Date | null, ttlMs: number) => at !== null && at.getTime() >= before + ttlMs - 1000 && at.getTime() <= after + ttlMs + 1000;
      assert.ok(within(explicit.expiresAt, 3_600_000), `explicit: ${explicit.expiresAt?.toISOString()}`);
      assert.ok(within(byDefault.expiresAt, 100_000), `default: ${byDefault.expiresAt?.toISOString()}`);
      assert.equal(never.expiresAt, null);
      assert.deepEqual(await kv.get('a'), explicit);
      assert.equal((await kv.get('c'))?.expiresAt, null);
      await kv.put('a', 2, 0);
      assert.equal((await kv.get('a'))?.expiresAt, null, 'a put without expiry removes the old one');
    });

    it('never returns an expired key, and statistics stop counting it', async () => {
      const { kv } = await fresh();
      await kv.put('short', 'gone soon', 1);
      await kv.put('long', 'stays', 3600);
      await kv.put('forever', 'stays');
      assert.deepEqual(await kv.stats().then(({ totalKeys, expiringKeys }) => ({ totalKeys, expiringKeys })), { totalKeys: 3, expiringKeys: 2 });
      await eventually('the short key to expire', async () => ((await kv.get('short')) === null ? true : undefined));
      assert.deepEqual((await kv.range()).map((e) => e.key), ['forever', 'long']);
      assert.equal(await kv.exists('short'), false);
      assert.equal(await kv.delete('short'), false);
      const stats = await kv.stats();
      assert.deepEqual({ totalKeys: stats.totalKeys, expiringKeys: stats.expiringKeys }, { totalKeys: 2, expiringKeys: 1 });
    });

    it('round-trips Date, Map, Set and BigInt with the superjson serializer', async () => {
      const { kv } = await fresh();
      const rich = kv.withSerializer('superjson');
      const value = { at: new Date('2024-07-01T12:00:00Z'), seen: new Set([1, 2]), byId: new Map([['a', 1n]]), big: 2n ** 70n, missing: undefined };
      await rich.put('rich', value);
      assert.deepEqual((await rich.get('rich'))?.value, value);
      const range = await rich.range({ prefix: 'rich' });
      assert.ok(range[0]?.value && (range[0].value as typeof value).at instanceof Date);
    });

    it('refuses bad keys, values and TTLs with BAD_USER_INPUT and a reason', async () => {
      const { kv } = await fresh({ KV_MAX_KEY_BYTES: '16', KV_MAX_VALUE_BYTES: '64' });
      for (const key of ['line\nbreak', 'tab\there', '', 'nul\u0000', 'k'.repeat(17), 'é'.repeat(9), 'lone\ud800']) {
        await rejectsWithCode(kv.put(key, 1), 'BAD_USER_INPUT', { field: 'key' });
      }
      await rejectsWithCode(kv.get('a\nb'), 'BAD_USER_INPUT');
      await rejectsWithCode(kv.delete('a\r'), 'BAD_USER_INPUT');
      const big = await rejectsWithCode(kv.put('k', 'x'.repeat(100)), 'BAD_USER_INPUT', { field: 'value', limit: 64 });
      assert.match(big.message, /KV_MAX_VALUE_BYTES/);
      for (const ttl of [-1, 1.5, Number.NaN]) await rejectsWithCode(kv.put('k', 1, ttl), 'BAD_USER_INPUT', { field: 'ttlSeconds' });
      await rejectsWithCode(kv.put('k', null), 'BAD_USER_INPUT', { field: 'value' });
      class Point { x = 1; }
      for (const value of [new Date(), new Map(), new Set([1]), 1n, () => 1, Number.NaN, Infinity, undefined, new Point(), { deep: { list: [1, new Map()] } }]) {
        await rejectsWithCode(kv.put('k', value), 'BAD_USER_INPUT', { field: 'value' });
      }
      const nested = await rejectsWithCode(kv.put('k', { deep: { list: [1, new Map()] } }), 'BAD_USER_INPUT');
      assert.match(nested.message, /value\.deep\.list\[1\] \(a Map\).*superjson/);
      assert.equal(await kv.get('k'), null, 'nothing was stored by the refused puts');
    });
  });
}
