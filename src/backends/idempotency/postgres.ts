import type { Queryable } from '../postgres/sql-client.ts';
import type { Claim, IdempotencyStore, StoredResponse } from './types.ts';

/**
 * Keys in the primary's idempotency_keys table. The claim is one statement: the primary key makes
 * concurrent claims of one key (in any number of gateway processes) resolve to exactly one winner.
 */
export function createPostgresIdempotencyStore(sql: Queryable): IdempotencyStore {
  return {
    async claim(key, requestHash, ttlSeconds): Promise<Claim> {
      const won = await sql.query(
        `INSERT INTO idempotency_keys (key, request_hash, state) VALUES ($1, $2, 'pending')
         ON CONFLICT (key) DO UPDATE SET request_hash = EXCLUDED.request_hash, state = 'pending', response = NULL, created_at = now()
           WHERE idempotency_keys.created_at < now() - make_interval(secs => $3)
         RETURNING key`,
        [key, requestHash, ttlSeconds],
      );
      if (won.rows.length > 0) return { claimed: true };
      const { rows } = await sql.query<{ request_hash: string; response: StoredResponse | null }>(
        'SELECT request_hash, response FROM idempotency_keys WHERE key = $1',
        [key],
      );
      // Gone between the two statements (released): report it as held; the caller polls again.
      return { claimed: false, requestHash: rows[0]?.request_hash ?? requestHash, response: rows[0]?.response ?? null };
    },
    async complete(key, response) {
      await sql.query(`UPDATE idempotency_keys SET state = 'done', response = $2::jsonb WHERE key = $1`, [key, JSON.stringify(response)]);
    },
    async release(key) {
      await sql.query(`DELETE FROM idempotency_keys WHERE key = $1 AND state = 'pending'`, [key]);
    },
  };
}
