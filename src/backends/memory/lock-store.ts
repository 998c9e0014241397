import type { LockBackend } from '../platform-types.ts';

/** Locks in process memory: exclusive within this process only, with the same expiry rules as Redis. */
export function createMemoryLockStore(now: () => number = Date.now): LockBackend & { close(): void } {
  const locks = new Map<string, { token: string; expiresAt: number }>();
  const holder = (key: string) => {
    const lock = locks.get(key);
    if (lock && lock.expiresAt <= now()) locks.delete(key);
    return locks.get(key);
  };
  return {
    async tryAcquire(key, token, ttlMs) {
      if (holder(key)) return false;
      locks.set(key, { token, expiresAt: now() + ttlMs });
      return true;
    },
    async release(key, token) {
      if (holder(key)?.token !== token) return false;
      return locks.delete(key);
    },
    close: () => locks.clear(),
  };
}
