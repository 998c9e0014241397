import { isUnreachable } from '../journal/unreachable.ts';
import type { OpenContext } from '../registry.ts';
import { createMemoryIdempotencyStore } from './memory.ts';
import { createPostgresIdempotencyStore } from './postgres.ts';
import type { IdempotencyStore } from './types.ts';

export type { IdempotencyStore, StoredResponse } from './types.ts';

/**
 * Idempotency keys live in the primary's database, shared by every gateway process. While the
 * primary is unreachable, claims fall back to this process's memory: retries that reach this
 * process still run once, and creates are idempotent by id when the journal replays them.
 */
export function openIdempotency(ctx: OpenContext): IdempotencyStore {
  const local = createMemoryIdempotencyStore();
  if (!ctx.sql) return local;
  const shared = createPostgresIdempotencyStore(ctx.sql);
  const fallible = <A extends unknown[], R>(pick: (s: IdempotencyStore) => (...a: A) => Promise<R>) => async (...args: A): Promise<R> => {
    try {
      return await pick(shared)(...args);
    } catch (err) {
      if (!isUnreachable(err)) throw err;
      return pick(local)(...args);
    }
  };
  return { claim: fallible((s) => s.claim), complete: fallible((s) => s.complete), release: fallible((s) => s.release) };
}
