import type { RedisClient } from './connection.ts';
import type { QueueBackend } from '../platform-types.ts';
import type { BlockingPool } from './blocking-pool.ts';
import type { KeyLayout } from './keys.ts';

/**
 * Queues on Redis lists, as seed 002: LPUSH at the tail, (B)RPOP at the head, so FIFO. Redis
 * hands each item to exactly one popper, across every gateway process.
 *
 * A pop that may wait uses a dedicated connection from `pool` (BRPOP blocks its connection); a
 * pop with timeoutMs 0, and the fallback below, use the shared command connection (RPOP returns
 * at once). When the pool is exhausted the pop waits for a connection within its own timeout; if
 * none frees up in time it makes one non-blocking RPOP before answering null, so null always means
 * "the queue was empty when the wait ended", never "the gateway was busy".
 */
export function createRedisQueueStore(redis: RedisClient, pool: BlockingPool, keys: KeyLayout): QueueBackend {
  return {
    push: (name, payload) => redis.lpush(keys.queue(name), payload),

    async pop(name, timeoutMs) {
      const key = keys.queue(name);
      if (timeoutMs <= 0) return redis.rpop(key);
      const deadline = Date.now() + timeoutMs;
      const popped = await pool.run(deadline, async (blocking) => {
        const left = deadline - Date.now();
        if (left <= 0) return blocking.rpop(key);
        // BRPOP takes seconds and accepts decimals (Redis >= 6); 0 would mean "forever".
        const reply = await blocking.brpop(key, Math.max(left, 1) / 1000);
        return reply ? reply[1] : null;
      });
      return popped === undefined ? redis.rpop(key) : popped;
    },

    length: (name) => redis.llen(keys.queue(name)),
  };
}
