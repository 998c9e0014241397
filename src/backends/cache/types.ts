import type { BackendStatus } from '../types.ts';

/**
 * A shared cache of entities with fill leases, the building block that keeps cached reads correct
 * when writers and readers race (see cached-evaluation-store.ts for the argument). Every method
 * is one round trip to the cache server whatever the number of keys (on a Redis Cluster, one per
 * master holding any of them, in parallel).
 */
export interface EntityCache {
  readonly kind: string;
  /** Values per key, null for a miss. */
  get(keys: readonly string[]): Promise<(string | null)[]>;
  /** Takes a fill lease on each key that has none; the token per key, or null where another holds one. */
  lease(keys: readonly string[], ttlMs: number): Promise<(string | null)[]>;
  /** Stores each value only if its lease is still the given token, then drops the lease; true per stored key. */
  fill(entries: readonly { key: string; token: string; value: string }[], ttlSeconds: number): Promise<boolean[]>;
  /** Drops values and leases: once it resolves, no fill under an older lease can succeed. */
  invalidate(keys: readonly string[]): Promise<void>;
  status(): Promise<BackendStatus>;
  close(): Promise<void>;
}
