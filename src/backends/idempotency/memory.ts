import type { Claim, IdempotencyStore, StoredResponse } from './types.ts';

/** Keys in process memory (STORAGE_BACKEND=memory, and while nothing else is shared). */
export function createMemoryIdempotencyStore(): IdempotencyStore {
  const keys = new Map<string, { requestHash: string; response: StoredResponse | null; at: number }>();
  return {
    async claim(key, requestHash, ttlSeconds): Promise<Claim> {
      const held = keys.get(key);
      if (held && Date.now() - held.at < ttlSeconds * 1000) return { claimed: false, requestHash: held.requestHash, response: held.response };
      keys.set(key, { requestHash, response: null, at: Date.now() });
      return { claimed: true };
    },
    async complete(key, response) {
      const held = keys.get(key);
      if (held) held.response = response;
    },
    async release(key) {
      if (keys.get(key)?.response === null) keys.delete(key);
    },
  };
}
