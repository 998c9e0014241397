import type { KeyRange, KvBackend, KvRecord } from '../platform-types.ts';
import { compareUtf8, SortedKeys } from './sorted-keys.ts';

interface Entry {
  payload: string;
  expiresAt: number | null;
}

export interface MemoryKvStore extends KvBackend {
  close(): void;
}

/** How often expired keys nobody reads again are dropped. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * The key-value store in process memory: a Map for values and a sorted key list for ranges.
 * Expired keys are never returned: reads drop them on the spot, and a periodic sweep drops the
 * ones nobody reads. Payloads are the serialized strings, as in Redis, so a caller can never
 * change a stored value by mutating the object it put.
 */
export function createMemoryKvStore(now: () => number = Date.now): MemoryKvStore {
  const entries = new Map<string, Entry>();
  const order = new SortedKeys();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= now()) {
      entries.delete(key);
      order.remove(key);
      return undefined;
    }
    return entry;
  };
  const record = (key: string, e: Entry): KvRecord => ({ key, payload: e.payload, expiresAt: e.expiresAt === null ? null : new Date(e.expiresAt) });
  const sweep = () => {
    for (const key of entries.keys()) live(key);
  };
  const timer = setInterval(sweep, SWEEP_INTERVAL_MS).unref();

  return {
    async put(key, payload, ttlMs) {
      if (!entries.has(key)) order.insert(key);
      const expiresAt = ttlMs === null ? null : now() + ttlMs;
      entries.set(key, { payload, expiresAt });
      return { expiresAt: expiresAt === null ? null : new Date(expiresAt) };
    },

    async get(key) {
      const entry = live(key);
      return entry ? record(key, entry) : null;
    },

    async delete(key) {
      if (!live(key)) return false;
      entries.delete(key);
      order.remove(key);
      return true;
    },

    async range(range, limit) {
      const found: KvRecord[] = [];
      const expired: string[] = [];
      for (let i = order.lowerBound(lowerBound(range)); found.length < limit; i++) {
        const key = order.at(i);
        if (key === undefined || !inRange(key, range)) break;
        const entry = entries.get(key)!;
        if (entry.expiresAt !== null && entry.expiresAt <= now()) expired.push(key);
        else found.push(record(key, entry));
      }
      for (const key of expired) live(key);
      return found;
    },

    async stats() {
      sweep();
      let expiringKeys = 0;
      for (const entry of entries.values()) if (entry.expiresAt !== null) expiringKeys++;
      return { totalKeys: entries.size, expiringKeys, memoryBytes: null };
    },

    close() {
      clearInterval(timer);
      entries.clear();
      order.clear();
    },
  };
}

function lowerBound({ start, prefix }: KeyRange): string {
  if (start === undefined) return prefix ?? '';
  return prefix !== undefined && compareUtf8(prefix, start) > 0 ? prefix : start;
}

/** Past the lower bound, the first key outside the range ends it: keys are visited in order. */
function inRange(key: string, { end, prefix }: KeyRange): boolean {
  return (end === undefined || compareUtf8(key, end) < 0) && (prefix === undefined || key.startsWith(prefix));
}
