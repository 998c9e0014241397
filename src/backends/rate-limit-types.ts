/** A token bucket per key: `burst` tokens at most, refilled at `perSecond`; each operation takes one. */
export interface TokenBucketOptions {
  perSecond: number;
  burst: number;
}

export interface RateLimiter {
  /** Takes one token from `key`'s bucket; when empty, says how long until one is back. */
  take(key: string): Promise<{ allowed: boolean; retryAfterMs: number }>;
}
