import type { RedisClient } from './connection.ts';
import type { KeyRange, KvBackend, KvRecord } from '../platform-types.ts';
import type { KeyLayout } from './keys.ts';
import { defineKvScripts } from './kv-scripts.ts';

/** Index members examined per range script call (see RANGE in kv-scripts.ts). */
const RANGE_BUDGET = 1000;
/** Expired members a put removes from the indexes, at most. */
const SWEEP_PER_PUT = 20;

/**
 * The key-value store on Redis: one string per key, plus the two indexes kept in step by the
 * scripts in kv-scripts.ts. A range is ZRANGEBYLEX on the index, so it costs O(log n + limit)
 * however many keys there are; KEYS and SCAN are never used.
 */
export function createRedisKvStore(redis: RedisClient, keys: KeyLayout, usedMemory: () => Promise<number | null>): KvBackend {
  defineKvScripts(redis);
  const expiry = (score: string | null) => (score ? new Date(Number(score)) : null);

  return {
    async put(key, payload, ttlMs) {
      const at = await redis.strataKvPut(keys.kvValue(key), keys.kvIndex, keys.kvExpiry, key, payload, ttlMs ?? 0, keys.kvValuePrefix, SWEEP_PER_PUT);
      return { expiresAt: at >= 0 ? new Date(at) : null };
    },

    async get(key) {
      // One script rather than MULTI GET/ZSCORE: the same atomicity in one command instead of four.
      const found = await redis.strataKvGet(keys.kvValue(key), keys.kvExpiry, key);
      return found ? { key, payload: found[0], expiresAt: expiry(found[1] || null) } : null;
    },

    async delete(key) {
      return (await redis.strataKvDelete(keys.kvValue(key), keys.kvIndex, keys.kvExpiry, key)) === 1;
    },

    async range(range, limit) {
      const records: KvRecord[] = [];
      const [first, max] = lexBounds(range);
      let min: Buffer | string = first;
      while (records.length < limit) {
        const [next, ...flat]: string[] = await redis.strataKvRange(keys.kvIndex, keys.kvExpiry, keys.kvValuePrefix, min, max, limit - records.length, RANGE_BUDGET);
        for (let i = 0; i < flat.length; i += 3) records.push({ key: flat[i]!, payload: flat[i + 1]!, expiresAt: expiry(flat[i + 2] || null) });
        if (!next) break;
        min = next;
      }
      return records;
    },

    async stats() {
      const [totalKeys, expiringKeys] = await redis.strataKvStats(keys.kvIndex, keys.kvExpiry);
      return { totalKeys, expiringKeys, memoryBytes: await usedMemory() };
    },
  };
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const largest = (bounds: Buffer[]) => bounds.sort(Buffer.compare).at(-1);
const smallest = (bounds: Buffer[]) => bounds.sort(Buffer.compare)[0];

/**
 * ZRANGEBYLEX bounds for a range: the larger of the lower bounds and the smaller of the upper
 * ones, compared as bytes like Redis does. A prefix P covers [P, P + 0xFF): no UTF-8 text contains
 * the byte 0xFF, so every key that starts with P sorts below it. The bounds are Buffers because
 * that byte cannot be written as a JavaScript string. Glob characters need no escaping: lexical
 * bounds have no pattern syntax, and the "[" / "(" we add is only read as the first byte.
 */
export function lexBounds({ start, end, prefix }: KeyRange): [Buffer, Buffer] {
  const lower: Buffer[] = [];
  const upper: Buffer[] = [];
  if (start !== undefined) lower.push(utf8(start));
  if (end !== undefined) upper.push(utf8(end));
  if (prefix !== undefined) {
    lower.push(utf8(prefix));
    upper.push(Buffer.concat([utf8(prefix), Buffer.from([0xff])]));
  }
  const min = largest(lower);
  const max = smallest(upper);
  return [min ? Buffer.concat([utf8('['), min]) : utf8('-'), max ? Buffer.concat([utf8('('), max]) : utf8('+')];
}
