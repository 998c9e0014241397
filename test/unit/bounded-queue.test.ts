import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedQueue, OVERFLOW } from '../../src/subscriptions/bounded-queue.ts';

describe("a subscriber's bounded inbox", () => {
  it('hands items to a waiting reader at once and keeps up to `limit` for a slow one', async () => {
    let ended = 0;
    const queue = new BoundedQueue<number>(2, () => ended++);
    const waiting = queue.next();
    queue.push(1);
    assert.deepEqual(await waiting, { value: 1, done: false });
    queue.push(2);
    queue.push(3);
    assert.equal(queue.size, 2);
    assert.deepEqual([await queue.next(), await queue.next()].map((r) => r.value), [2, 3]);
    assert.equal(ended, 0);
  });

  it('one item past the limit drops what waits, ends it once, and yields OVERFLOW, then done', async () => {
    let ended = 0;
    const queue = new BoundedQueue<number>(2, () => ended++);
    for (const n of [1, 2, 3, 4]) queue.push(n);
    assert.equal(ended, 1);
    assert.equal(queue.size, 0);
    assert.deepEqual(await queue.next(), { value: OVERFLOW, done: false });
    assert.deepEqual(await queue.next(), { value: undefined, done: true });
  });

  it('close() lets the reader take what is queued, then ends; return() ends a waiting reader at once', async () => {
    let ended = 0;
    const closing = new BoundedQueue<number>(5, () => ended++);
    closing.push(1);
    closing.close();
    closing.push(2); // ignored after close
    assert.deepEqual([await closing.next(), await closing.next()], [{ value: 1, done: false }, { value: undefined, done: true }]);
    const leaving = new BoundedQueue<number>(5, () => ended++);
    const waiting = leaving.next();
    await leaving.return();
    assert.deepEqual(await waiting, { value: undefined, done: true });
    assert.equal(ended, 2);
  });
});
