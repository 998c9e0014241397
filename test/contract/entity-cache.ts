import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { EntityCache } from '../../src/backends/cache/types.ts';

/** The EntityCache contract (values, fill leases, invalidation), run against memory and Redis. */
export function entityCacheContract(name: string, factory: () => Promise<EntityCache>): void {
  describe(`EntityCache contract: ${name}`, () => {
    let cache: EntityCache;
    beforeEach(async () => (cache = await factory()));
    afterEach(() => cache.close());

    it('misses, leases once, fills under the lease and then hits', async () => {
      assert.deepEqual(await cache.get(['a', 'b']), [null, null]);
      const [ta, tb] = await cache.lease(['a', 'b'], 5000);
      assert.ok(ta && tb && ta !== tb);
      assert.deepEqual(await cache.lease(['a'], 5000), [null], 'a second loader is held off');
      assert.deepEqual(await cache.fill([{ key: 'a', token: ta, value: 'A' }, { key: 'b', token: 'wrong', value: 'B' }], 60), [true, false]);
      assert.deepEqual(await cache.get(['a', 'b']), ['A', null]);
      assert.equal((await cache.lease(['a'], 5000))[0] !== null, true, 'a successful fill releases the lease');
    });

    it('makes a fill under a lease taken before an invalidation fail', async () => {
      const [token] = await cache.lease(['k'], 5000);
      await cache.invalidate(['k']);
      assert.deepEqual(await cache.fill([{ key: 'k', token: token!, value: 'stale' }], 60), [false]);
      assert.deepEqual(await cache.get(['k']), [null]);
      const [next] = await cache.lease(['k'], 5000);
      assert.deepEqual(await cache.fill([{ key: 'k', token: next!, value: 'fresh' }], 60), [true]);
      await cache.invalidate(['k']);
      assert.deepEqual(await cache.get(['k']), [null], 'invalidation drops the value');
    });

    it('lets an abandoned lease expire', async () => {
      await cache.lease(['x'], 30);
      const deadline = Date.now() + 2000;
      let token: string | null = null;
      while (!token && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
        [token] = await cache.lease(['x'], 5000);
      }
      assert.ok(token, 'a crashed loader does not block the key forever');
    });

    it('keeps keys with braces, newlines and unicode apart', async () => {
      const keys = ['eval:{x}', 'eval:x', 'eval:\n', 'eval:🚀'];
      const tokens = await cache.lease(keys, 5000);
      await cache.fill(keys.map((key, i) => ({ key, token: tokens[i]!, value: `v${i}` })), 60);
      assert.deepEqual(await cache.get(keys), ['v0', 'v1', 'v2', 'v3']);
      await cache.invalidate(keys);
    });
  });
}
