import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { rejectsWithCode } from '../support/assert.ts';
import { eventually } from '../support/eventually.ts';
import type { PlatformFactory, TestPlatform } from '../support/platform.ts';

/** KV ranges (seed 003's range_get): byte order, `end` exclusive, literal prefixes, limits, expiry. */
export function kvRangeContract(name: string, open: PlatformFactory): void {
  describe(`KV range contract: ${name}`, () => {
    let p: TestPlatform;
    afterEach(() => p.close());
    const keysOf = async (args: Parameters<TestPlatform['kv']['range']>[0]) => (await p.kv.range(args)).map((e) => e.key);

    it("follows seed 003's examples: start inclusive, end exclusive, prefix, limit", async () => {
      p = await open();
      for (let i = 0; i < 10; i++) await p.kv.put(`item:${i}`, `value_${i}`);
      await p.kv.put('other', 1);
      const range = await p.kv.range({ start: 'item:3', end: 'item:7' });
      assert.deepEqual(range.map((e) => [e.key, e.value]), [['item:3', 'value_3'], ['item:4', 'value_4'], ['item:5', 'value_5'], ['item:6', 'value_6']]);
      assert.deepEqual(await keysOf({ prefix: 'item:' }), Array.from({ length: 10 }, (_, i) => `item:${i}`));
      assert.deepEqual(await keysOf({ prefix: 'item:', limit: 5 }), ['item:0', 'item:1', 'item:2', 'item:3', 'item:4']);
      assert.deepEqual(await keysOf({ start: 'item:8' }), ['item:8', 'item:9', 'other']);
      assert.deepEqual(await keysOf({ end: 'item:2' }), ['item:0', 'item:1']);
      assert.deepEqual(await keysOf({ start: 'item:5', prefix: 'item:', end: 'item:7' }), ['item:5', 'item:6']);
      assert.deepEqual(await keysOf({ start: 'a', prefix: 'item:', limit: 2 }), ['item:0', 'item:1']);
      assert.deepEqual(await keysOf({ start: 'item:7', end: 'item:3' }), []);
      assert.deepEqual(await keysOf({ start: '', prefix: '' }), [...Array.from({ length: 10 }, (_, i) => `item:${i}`), 'other']);
      assert.equal((await p.kv.range()).length, 11);
      assert.deepEqual(await keysOf({ limit: 0 }), []);
    });

    it('orders keys by UTF-8 bytes, as Redis does, not by UTF-16 code units', async () => {
      p = await open();
      const keys = ['😀', 'ｚ', 'é', 'b', 'a', 'B', 'item:10', 'item:2'];
      for (const key of keys) await p.kv.put(key, key);
      assert.deepEqual(await keysOf({}), ['B', 'a', 'b', 'item:10', 'item:2', 'é', 'ｚ', '😀']);
      assert.deepEqual(await keysOf({ start: 'ｚ' }), ['ｚ', '😀']);
      assert.deepEqual(await keysOf({ prefix: '😀' }), ['😀']);
    });

    it('treats "*", "?", "[" and other pattern characters in a prefix literally', async () => {
      p = await open();
      for (const key of ['a*b', 'a*c', 'axb', 'a?', 'ab', 'a[1]', 'a[2]', 'a1', 'a\\x', 'a{b}', 'a^']) await p.kv.put(key, 1);
      assert.deepEqual(await keysOf({ prefix: 'a*' }), ['a*b', 'a*c']);
      assert.deepEqual(await keysOf({ prefix: 'a?' }), ['a?']);
      assert.deepEqual(await keysOf({ prefix: 'a[' }), ['a[1]', 'a[2]']);
      assert.deepEqual(await keysOf({ prefix: 'a\\' }), ['a\\x']);
      assert.deepEqual(await keysOf({ prefix: 'a{' }), ['a{b}']);
      assert.deepEqual(await keysOf({ prefix: '*' }), []);
      assert.deepEqual(await keysOf({ prefix: '[' }), []);
      assert.deepEqual(await keysOf({ start: '[', end: 'a*c' }), ['a*b'], 'bounds are literal too');
    });

    it('skips expired keys without returning fewer than the limit', async () => {
      p = await open();
      await p.kv.put('k1', 1);
      for (let i = 0; i < 30; i++) await p.kv.put(`k2:${String(i).padStart(2, '0')}`, i, 1);
      await p.kv.put('k3', 3);
      await p.kv.put('k4', 4);
      await eventually('the k2 keys to expire', async () => ((await p.kv.get('k2:29')) === null ? true : undefined));
      assert.deepEqual(await keysOf({ limit: 2 }), ['k1', 'k3']);
      assert.deepEqual(await keysOf({ start: 'k2' }), ['k3', 'k4']);
      assert.equal((await p.kv.stats()).totalKeys, 3);
    });

    it('reports each entry with its expiry', async () => {
      p = await open();
      const ttl = await p.kv.put('t', 1, 3600);
      await p.kv.put('u', 2);
      assert.deepEqual(await p.kv.range(), [ttl, { key: 'u', value: 2, expiresAt: null }]);
    });

    it('refuses bad bounds and limits with BAD_USER_INPUT', async () => {
      p = await open({ MAX_PAGE_SIZE: '10', DEFAULT_PAGE_SIZE: '3', KV_MAX_KEY_BYTES: '8' });
      for (let i = 0; i < 5; i++) await p.kv.put(`k${i}`, i);
      assert.equal((await p.kv.range()).length, 3, 'DEFAULT_PAGE_SIZE when no limit is given');
      await rejectsWithCode(p.kv.range({ limit: 11 }), 'BAD_USER_INPUT', { field: 'limit', limit: 10 });
      await rejectsWithCode(p.kv.range({ limit: -1 }), 'BAD_USER_INPUT', { field: 'limit' });
      await rejectsWithCode(p.kv.range({ prefix: 'a\nb' }), 'BAD_USER_INPUT', { field: 'prefix' });
      await rejectsWithCode(p.kv.range({ start: 'x'.repeat(9) }), 'BAD_USER_INPUT', { field: 'start' });
      await rejectsWithCode(p.kv.range({ end: '\u0007' }), 'BAD_USER_INPUT', { field: 'end' });
    });
  });
}
