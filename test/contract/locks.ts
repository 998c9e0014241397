import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { rejectsWithCode } from '../support/assert.ts';
import type { PlatformFactory, TestPlatform } from '../support/platform.ts';

/** The lock contract (seed 000's RedisLock), run against every backend. */
export function lockContract(name: string, open: PlatformFactory): void {
  describe(`Lock contract: ${name}`, () => {
    let p: TestPlatform;
    afterEach(() => p.close());

    it('gives the lock to one owner; only its token releases it', async () => {
      p = await open();
      const token = await p.locks.acquire('job:1', 30_000);
      assert.equal(typeof token, 'string');
      assert.equal(await p.locks.acquire('job:1', 30_000), null, 'taken');
      assert.equal(await p.locks.release('job:1', 'not-the-token'), false);
      assert.equal(await p.locks.acquire('job:1', 30_000, 0), null, 'still taken after a wrong release');
      assert.equal(await p.locks.release('job:1', token!), true);
      assert.equal(await p.locks.release('job:1', token!), false, 'a second release does nothing');
      const next = await p.locks.acquire('job:1', 30_000);
      assert.ok(next && next !== token, 'a new owner gets a new token');
    });

    it('is exclusive among concurrent callers', async () => {
      p = await open();
      const tokens = await Promise.all(Array.from({ length: 20 }, () => p.locks.acquire('hot', 30_000)));
      assert.equal(tokens.filter((t) => t !== null).length, 1);
    });

    it('a waiting caller gets the lock once the owner releases it', async () => {
      p = await open();
      const first = await p.locks.acquire('w', 30_000);
      const waiting = p.locks.acquire('w', 30_000, 20_000);
      assert.equal(await p.locks.release('w', first!), true);
      const second = await waiting;
      assert.ok(second && second !== first);
    });

    it('a waiting caller gives up with null when the lock stays taken', async () => {
      p = await open();
      await p.locks.acquire('busy', 30_000);
      assert.equal(await p.locks.acquire('busy', 30_000, 150), null);
    });

    it("expiry frees a crashed owner's lock, and the stale token then releases nothing", async () => {
      p = await open();
      const crashed = await p.locks.acquire('crash', 200);
      const next = await p.locks.acquire('crash', 30_000, 10_000);
      assert.ok(crashed && next && next !== crashed);
      assert.equal(await p.locks.release('crash', crashed), false);
      assert.equal(await p.locks.acquire('crash', 30_000), null, "the new owner's lock is intact");
    });

    it('keeps lock keys apart, taken literally', async () => {
      p = await open();
      assert.ok(await p.locks.acquire('job*', 30_000));
      assert.ok(await p.locks.acquire('job1', 30_000));
      assert.ok(await p.locks.acquire('job?', 30_000));
    });

    it('refuses bad keys, lifetimes, waits and tokens with BAD_USER_INPUT', async () => {
      p = await open({ LOCK_MAX_TTL_MS: '60000', LOCK_MAX_WAIT_MS: '1000' });
      for (const ttl of [0, -1, 60_001, 1.5]) await rejectsWithCode(p.locks.acquire('k', ttl), 'BAD_USER_INPUT', { field: 'ttlMs' });
      const wait = await rejectsWithCode(p.locks.acquire('k', 1000, 1001), 'BAD_USER_INPUT', { field: 'waitMs' });
      assert.match(wait.message, /LOCK_MAX_WAIT_MS/);
      await rejectsWithCode(p.locks.acquire('k', 1000, -5), 'BAD_USER_INPUT', { field: 'waitMs' });
      for (const key of ['', 'a\nb', 'k'.repeat(2000)]) await rejectsWithCode(p.locks.acquire(key, 1000), 'BAD_USER_INPUT', { field: 'key' });
      await rejectsWithCode(p.locks.release('k', 't'.repeat(200)), 'BAD_USER_INPUT', { field: 'token' });
      assert.ok(await p.locks.acquire('k', 1000), 'nothing was taken by the refused calls');
    });
  });
}
