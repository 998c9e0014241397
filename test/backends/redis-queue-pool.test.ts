import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { platformFactory, type TestPlatform } from '../support/platform.ts';
import { redisUnavailable } from '../support/redis.ts';

/**
 * Blocking pops on Redis take a dedicated connection from a pool of QUEUE_POP_CONNECTIONS. When
 * every one is busy, a pop waits in line within its own timeout, then makes one non-blocking try:
 * it never fails because of the pool, and never holds up requests on the command connection.
 */
if (!(await redisUnavailable())) {
  describe('Redis queue pops: a bounded pool of blocking connections', () => {
    const open = platformFactory('redis');
    let p: TestPlatform;
    afterEach(() => p.close());
    const pool = async () => (await p.status()).metrics['popConnections'] as { open: number; busy: number; waiting: number };

    it('while the pool is exhausted, other requests are served and a queued pop still finds its item', async () => {
      p = await open({ QUEUE_POP_CONNECTIONS: '1' });
      const holder = p.queues.pop('x', 20_000);
      const queued = p.queues.pop('y', 2000);
      assert.deepEqual(await pool(), { open: 1, busy: 1, waiting: 1 });
      // The command connection is free: these complete while both pops are still waiting.
      await p.kv.put('k', { still: 'served' });
      assert.deepEqual((await p.kv.get('k'))?.value, { still: 'served' });
      assert.equal(await p.queues.push('y', 'for-the-queued-pop'), 1);
      assert.equal(await queued, 'for-the-queued-pop', 'found by the non-blocking try at its deadline');
      await p.queues.push('x', 'for-the-holder');
      assert.equal(await holder, 'for-the-holder');
    });

    it('a queued pop answers null when its queue stays empty', async () => {
      p = await open({ QUEUE_POP_CONNECTIONS: '1' });
      const holder = p.queues.pop('x', 20_000);
      assert.equal(await p.queues.pop('y', 200), null);
      await p.queues.push('x', 1);
      assert.equal(await holder, 1);
    });

    it('a queued pop takes the connection as soon as it frees up, and blocks on it', async () => {
      p = await open({ QUEUE_POP_CONNECTIONS: '1' });
      const holder = p.queues.pop('x', 20_000);
      const next = p.queues.pop('z', 20_000);
      await p.queues.push('x', 'first');
      assert.equal(await holder, 'first');
      await p.queues.push('z', 'second');
      assert.equal(await next, 'second');
      assert.deepEqual(await pool(), { open: 1, busy: 0, waiting: 0 });
    });

    it('never opens more connections than QUEUE_POP_CONNECTIONS, and reuses them', async () => {
      p = await open({ QUEUE_POP_CONNECTIONS: '2' });
      const pops = Array.from({ length: 6 }, () => p.queues.pop('many', 20_000));
      assert.deepEqual(await pool(), { open: 2, busy: 2, waiting: 4 });
      for (let i = 0; i < 6; i++) await p.queues.push('many', i);
      assert.deepEqual((await Promise.all(pops)).sort(), [0, 1, 2, 3, 4, 5]);
      assert.deepEqual(await pool(), { open: 2, busy: 0, waiting: 0 });
    });

    it('a pop with timeoutMs 0 uses no pool connection at all', async () => {
      p = await open({ QUEUE_POP_CONNECTIONS: '1' });
      const holder = p.queues.pop('x', 20_000);
      await p.queues.push('now', 'immediate');
      assert.equal(await p.queues.pop('now', 0), 'immediate');
      assert.equal(await p.queues.pop('now'), null);
      assert.deepEqual(await pool(), { open: 1, busy: 1, waiting: 0 });
      await p.queues.push('x', 1);
      await holder;
    });
  });
}
