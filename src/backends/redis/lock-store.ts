import type { Result } from 'ioredis';
import type { RedisClient } from './connection.ts';
import type { LockBackend } from '../platform-types.ts';
import type { KeyLayout } from './keys.ts';

// Compare-and-delete in one step, as seed 000: a GET then DEL from the client could delete a lock
// that expired and was taken by someone else in between.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    strataLockRelease(key: string, token: string): Result<number, Context>;
  }
}

/**
 * Locks as single keys holding the owner's token: SET NX PX takes a free lock atomically, and the
 * PX expiry frees the lock of an owner that crashed without releasing it.
 */
export function createRedisLockStore(redis: RedisClient, keys: KeyLayout): LockBackend {
  redis.defineCommand('strataLockRelease', { numberOfKeys: 1, lua: RELEASE });
  return {
    async tryAcquire(key, token, ttlMs) {
      return (await redis.set(keys.lock(key), token, 'PX', ttlMs, 'NX')) === 'OK';
    },
    async release(key, token) {
      return (await redis.strataLockRelease(keys.lock(key), token)) === 1;
    },
  };
}
