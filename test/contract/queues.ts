import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { rejectsWithCode } from '../support/assert.ts';
import type { PlatformFactory, TestPlatform } from '../support/platform.ts';

/** The queue contract (seed 002's QueueStore), run against every backend. */
export function queueContract(name: string, open: PlatformFactory): void {
  describe(`Queue contract: ${name}`, () => {
    let p: TestPlatform;
    afterEach(() => p.close());

    it('is first in, first out; push answers the new length; pop answers null when empty', async () => {
      p = await open();
      assert.deepEqual([await p.queues.push('jobs', { n: 1 }), await p.queues.push('jobs', 'two'), await p.queues.push('jobs', [3])], [1, 2, 3]);
      assert.deepEqual(await p.queues.info('jobs'), { name: 'jobs', length: 3 });
      assert.deepEqual([await p.queues.pop('jobs'), await p.queues.pop('jobs', 0), await p.queues.pop('jobs')], [{ n: 1 }, 'two', [3]]);
      assert.equal(await p.queues.pop('jobs'), null);
      assert.equal(await p.queues.length('jobs'), 0);
    });

    it('keeps queues apart, names taken literally', async () => {
      p = await open();
      await p.queues.push('q*', 'star');
      await p.queues.push('q1', 'one');
      assert.equal(await p.queues.length('q?'), 0);
      assert.equal(await p.queues.pop('q*'), 'star');
      assert.equal(await p.queues.pop('q*'), null);
      assert.equal(await p.queues.length('q1'), 1);
    });

    it('a waiting pop receives an item pushed while it waits', async () => {
      p = await open();
      const popped = p.queues.pop('later', 10_000);
      assert.equal(await p.queues.length('later'), 0);
      await p.queues.push('later', { late: true });
      assert.deepEqual(await popped, { late: true });
      assert.equal(await p.queues.length('later'), 0);
    });

    it('a waiting pop answers null when nothing comes before its timeout', async () => {
      p = await open();
      assert.equal(await p.queues.pop('empty', 100), null);
    });

    it('delivers each item to exactly one of several concurrent consumers', async () => {
      p = await open();
      const consume = async () => {
        const got: number[] = [];
        for (let item; (item = await p.queues.pop('work', 500)) !== null; ) got.push(item as number);
        return got;
      };
      const consumers = Array.from({ length: 4 }, consume);
      for (let i = 0; i < 60; i++) await p.queues.push('work', i);
      const results = await Promise.all(consumers);
      const all = results.flat().sort((a, b) => a - b);
      assert.deepEqual(all, Array.from({ length: 60 }, (_, i) => i), 'every item once, none twice');
      for (const got of results) assert.deepEqual(got, [...got].sort((a, b) => a - b), 'each consumer sees items in push order');
    });

    it('refuses bad names, items and waits with BAD_USER_INPUT', async () => {
      p = await open({ QUEUE_MAX_WAIT_MS: '1000', KV_MAX_VALUE_BYTES: '32' });
      const tooLong = await rejectsWithCode(p.queues.pop('q', 1001), 'BAD_USER_INPUT', { field: 'timeoutMs', limit: 1000 });
      assert.match(tooLong.message, /QUEUE_MAX_WAIT_MS/);
      await rejectsWithCode(p.queues.pop('q', -1), 'BAD_USER_INPUT', { field: 'timeoutMs' });
      await rejectsWithCode(p.queues.pop('q', 0.5), 'BAD_USER_INPUT', { field: 'timeoutMs' });
      for (const item of [null, undefined, new Map(), 1n, { at: new Date() }]) await rejectsWithCode(p.queues.push('q', item), 'BAD_USER_INPUT', { field: 'item' });
      await rejectsWithCode(p.queues.push('q', 'x'.repeat(40)), 'BAD_USER_INPUT', { field: 'item', limit: 32 });
      for (const name of ['', 'a\nb', 'x'.repeat(2000)]) await rejectsWithCode(p.queues.push(name, 1), 'BAD_USER_INPUT', { field: 'name' });
      assert.equal(await p.queues.length('q'), 0);
    });
  });
}
