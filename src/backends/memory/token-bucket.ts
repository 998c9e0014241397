import type { RateLimiter, TokenBucketOptions } from '../rate-limit-types.ts';

/**
 * Token buckets in process memory: one per key, refilled lazily from the time since its last take.
 * Keys are API key names (plus one for anonymous callers), so the map stays as small as the key list.
 */
export function createMemoryTokenBuckets(options: TokenBucketOptions, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    async take(key) {
      const t = now();
      const held = buckets.get(key) ?? { tokens: options.burst, at: t };
      const tokens = Math.min(options.burst, held.tokens + ((t - held.at) * options.perSecond) / 1000);
      if (tokens >= 1) {
        buckets.set(key, { tokens: tokens - 1, at: t });
        return { allowed: true, retryAfterMs: 0 };
      }
      buckets.set(key, { tokens, at: t });
      return { allowed: false, retryAfterMs: Math.ceil(((1 - tokens) * 1000) / options.perSecond) };
    },
  };
}
