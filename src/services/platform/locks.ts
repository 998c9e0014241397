import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LockBackend } from '../../backends/platform-types.ts';
import type { Config } from '../../config.ts';
import { checkKey, checkWholeNumber } from '../../domain/keys.ts';
import { checkString } from '../../domain/validate.ts';
import { BadUserInputError } from '../../errors.ts';

/** Pause between attempts while waiting: short at first, then at most this. */
const MAX_RETRY_DELAY_MS = 100;

/**
 * Distributed locks (seed 000's RedisLock): `acquire` answers an owner token, or null when the
 * lock stayed taken for `waitMs` (omitted: 0, one attempt). Only that token releases the lock;
 * `ttlMs` bounds how long a crashed owner can hold it.
 */
export class Locks {
  constructor(
    private readonly backend: LockBackend,
    private readonly config: Config,
  ) {}

  async acquire(key: string, ttlMs: number, waitMs?: number | null): Promise<string | null> {
    const { lockMaxTtlMs, lockMaxWaitMs, kvMaxKeyBytes } = this.config.platform;
    checkKey('key', key, kvMaxKeyBytes);
    checkWholeNumber('ttlMs', ttlMs, lockMaxTtlMs, 'LOCK_MAX_TTL_MS');
    if (ttlMs === 0) throw new BadUserInputError('ttlMs must be at least 1: a lock without a lifetime would never be taken.', { field: 'ttlMs' });
    const wait = checkWholeNumber('waitMs', waitMs ?? 0, lockMaxWaitMs, 'LOCK_MAX_WAIT_MS');
    const token = randomUUID();
    const deadline = Date.now() + wait;
    // Polling, as the seed does: Redis has no blocking "SET NX". Delays grow from 5 ms to 100 ms,
    // with jitter so that waiters released together do not retry in lockstep.
    for (let attempt = 0; ; attempt++) {
      if (await this.backend.tryAcquire(key, token, ttlMs)) return token;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      const delay = Math.min(MAX_RETRY_DELAY_MS, 5 * 2 ** attempt) * (0.5 + Math.random() / 2);
      await sleep(Math.min(left, delay));
    }
  }

  /** True when `token` held the lock and it is now free; false for a wrong or expired token. */
  async release(key: string, token: string): Promise<boolean> {
    checkKey('key', key, this.config.platform.kvMaxKeyBytes);
    checkString('token', token, 128);
    return this.backend.release(key, token);
  }
}
