/** The first response to an idempotent request, as it is replayed. */
export interface StoredResponse {
  status: number;
  contentType: string;
  body: string;
}

export type Claim =
  | { claimed: true }
  | { claimed: false; requestHash: string; response: StoredResponse | null };

/**
 * Idempotency keys: claimed by the first request that sends one, completed with its response.
 * A key older than the TTL counts as unused. PostgreSQL (shared by every gateway process) or memory.
 */
export interface IdempotencyStore {
  /** Takes the key for this request, or returns what holds it: its hash and, once done, its response. */
  claim(key: string, requestHash: string, ttlSeconds: number): Promise<Claim>;
  complete(key: string, response: StoredResponse): Promise<void>;
  /** Frees a key whose request failed for a reason a retry may not meet (a 5xx), so a retry runs again. */
  release(key: string): Promise<void>;
}
