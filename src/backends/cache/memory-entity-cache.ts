import { randomUUID } from 'node:crypto';
import type { EntityCache } from './types.ts';

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * The lease protocol in one process's memory: the same contract as Redis (the entity-cache suite
 * runs against both). Several gateway instances in one process can share one, which is how the
 * decorator's race tests run without a server.
 */
export function createMemoryEntityCache(now: () => number = Date.now): EntityCache {
  const values = new Map<string, Entry>();
  const leases = new Map<string, Entry>();
  const live = (map: Map<string, Entry>, key: string) => {
    const e = map.get(key);
    if (e && e.expiresAt <= now()) map.delete(key);
    return e && e.expiresAt > now() ? e.value : null;
  };
  return {
    kind: 'memory',
    async get(keys) {
      return keys.map((k) => live(values, k));
    },
    async lease(keys, ttlMs) {
      return keys.map((k) => {
        if (live(leases, k) !== null) return null;
        const token = randomUUID();
        leases.set(k, { value: token, expiresAt: now() + ttlMs });
        return token;
      });
    },
    async fill(entries, ttlSeconds) {
      return entries.map(({ key, token, value }) => {
        if (live(leases, key) !== token) return false;
        values.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
        leases.delete(key);
        return true;
      });
    },
    async invalidate(keys) {
      for (const k of keys) {
        values.delete(k);
        leases.delete(k);
      }
    },
    async status() {
      return { name: 'memory-cache', kind: 'memory', role: 'cache', healthy: true, latencyMs: 0, metrics: { keys: values.size } };
    },
    async close() {
      values.clear();
      leases.clear();
    },
  };
}
