import type { Logger } from '../logger.ts';
import type { RecentWriters } from './postgres/read-routing.ts';
import type { RedisClient } from './redis/connection.ts';

/** Callers are API key names: a bounded set, but never let a long-running process keep stale ones. */
const MAX_LOCAL = 10_000;

/**
 * The read-your-writes window in this process: caller -> when its window ends. The state of one
 * process only; with Redis, see below.
 */
export function createMemoryRecentWriters(windowMs: number): RecentWriters {
  const until = new Map<string, number>();
  return {
    async mark(caller) {
      if (until.size >= MAX_LOCAL) for (const [k, end] of until) if (end <= Date.now()) until.delete(k);
      until.set(caller, Date.now() + windowMs);
    },
    async wroteRecently(caller) {
      const end = until.get(caller);
      return end !== undefined && end > Date.now();
    },
    close: async () => {},
  };
}

/**
 * The window shared by every gateway process: one key per caller (`<prefix>ryw:<caller>`) with a
 * PX expiry of the window, written before the mutation's response is sent. A single-key command,
 * so any slot of a Redis Cluster will do. This process's own map answers first (no round trip for
 * the writer's own process); if Redis cannot answer, the read goes to the primary: never stale
 * because Redis was down.
 */
export function createRedisRecentWriters(redis: RedisClient, prefix: string, windowMs: number, logger: Logger): RecentWriters {
  const local = createMemoryRecentWriters(windowMs);
  const key = (caller: string) => `${prefix}ryw:${caller}`;
  return {
    async mark(caller) {
      await local.mark(caller);
      await redis.set(key(caller), '1', 'PX', windowMs).catch((err: unknown) => {
        logger.warn({ err, caller }, 'could not record a write in Redis; other gateway processes may serve this key replica reads within DATABASE_READ_YOUR_WRITES_MS');
      });
    },
    async wroteRecently(caller) {
      if (await local.wroteRecently(caller)) return true;
      try {
        return (await redis.exists(key(caller))) > 0;
      } catch (err) {
        logger.debug({ err }, 'read-your-writes window unknown (Redis); reading the primary');
        return true;
      }
    },
    close: async () => {},
  };
}
