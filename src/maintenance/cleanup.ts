import type { BlobStore } from '../backends/blob-types.ts';
import type { SqlClient } from '../backends/postgres/sql-client.ts';
import { evaluationPrefix } from '../domain/blob-keys.ts';
import { sweepOrphans, type OrphanSummary } from './orphans.ts';
import type { Progress } from './progress.ts';

export interface CleanupOptions {
  /** Evaluations finished (or soft-deleted) before this time are removed. */
  before: Date;
  /** Count what would go, remove nothing. */
  dryRun: boolean;
  /** Evaluations per transaction. @default 500 */
  batchSize: number;
  /** Unreferenced blobs younger than this are left alone (a write may be about to commit its row). @default 24 h */
  orphanGraceMs: number;
  /** Idempotency keys older than this are removed (they no longer replay anyway). @default IDEMPOTENCY_TTL_SECONDS */
  idempotencyTtlSeconds?: number;
  /** Blob keys named by writes still in the fallback journal: never orphans. */
  journaledBlobKeys?: ReadonlySet<string>;
  /**
   * Called with each batch of removed ids once its transaction committed: drops their cached copies
   * (EvaluationStore.forget), so no gateway serves an evaluation from the cache after it is gone.
   */
  forget?: (ids: readonly string[]) => Promise<void>;
  /**
   * Called with each batch of removed ids once its transaction committed: the audit record of the
   * batch. Orphan blobs and expired idempotency keys are not audited: no row named them.
   */
  audit?: (ids: readonly string[]) => Promise<void>;
}

export interface CleanupSummary {
  evaluations: number;
  events: number;
  metrics: number;
  logs: number;
  blobs: number;
  blobBytes: number;
  orphans: OrphanSummary;
  idempotencyKeys: number;
}

// Soft-deleted before the cutoff, or created before it and finished: a running or queued
// evaluation is never removed, however old.
const EXPIRED = `(deleted_at < $1 OR (created_at < $1 AND status IN ('COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT')))`;

/**
 * `strata cleanup`: removes expired evaluations with their events, metrics, running state and logs
 * (ON DELETE CASCADE, counted first in the same transaction), then their blobs, then orphan blobs.
 * Rows go before blobs: a crash in between leaves orphans for the next run, never a row without
 * its blob.
 */
export async function cleanup(sql: SqlClient, blobs: BlobStore, o: CleanupOptions, progress: Progress): Promise<CleanupSummary> {
  const summary: CleanupSummary = { evaluations: 0, events: 0, metrics: 0, logs: 0, blobs: 0, blobBytes: 0, orphans: { blobs: 0, bytes: 0, temporaryFiles: 0 }, idempotencyKeys: 0 };
  const total = (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM evaluations WHERE ${EXPIRED}`, [o.before])).rows[0]!.n;
  progress.start(total);
  let after = '';
  for (;;) {
    const ids = await sql.transaction(async (tx) => {
      const batch = (await tx.query<{ id: string }>(`SELECT id FROM evaluations WHERE ${EXPIRED} AND id > $2 ORDER BY id LIMIT $3`, [o.before, after, o.batchSize])).rows.map((r) => r.id);
      if (batch.length === 0) return batch;
      const counts = await tx.query<{ events: number; metrics: number; logs: number }>(
        `SELECT (SELECT count(*) FROM evaluation_events WHERE evaluation_id = ANY($1::text[]))::int AS events,
                (SELECT count(*) FROM evaluation_metrics WHERE evaluation_id = ANY($1::text[]))::int AS metrics,
                (SELECT count(*) FROM evaluation_logs WHERE evaluation_id = ANY($1::text[]))::int AS logs`,
        [batch],
      );
      summary.events += counts.rows[0]!.events;
      summary.metrics += counts.rows[0]!.metrics;
      summary.logs += counts.rows[0]!.logs;
      if (!o.dryRun) await tx.query(`DELETE FROM evaluations WHERE id = ANY($2::text[]) AND ${EXPIRED}`, [o.before, batch]);
      return batch;
    });
    if (ids.length === 0) break;
    if (!o.dryRun) {
      await o.audit?.(ids);
      await o.forget?.(ids);
    }
    for (const id of ids) {
      for await (const blob of blobs.list(evaluationPrefix(id))) {
        if (!o.dryRun) await blobs.delete(blob.key);
        summary.blobs++;
        summary.blobBytes += blob.size;
      }
    }
    summary.evaluations += ids.length;
    after = ids.at(-1)!;
    progress.increment(ids.length);
  }
  progress.stop();
  summary.orphans = await sweepOrphans(sql, blobs, o.orphanGraceMs, o.dryRun, o.journaledBlobKeys);
  const expired = `FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1)`;
  const ttl = o.idempotencyTtlSeconds ?? 86_400;
  summary.idempotencyKeys = (await sql.query<{ n: number }>(o.dryRun ? `SELECT count(*)::int AS n ${expired}` : `WITH d AS (DELETE ${expired} RETURNING 1) SELECT count(*)::int AS n FROM d`, [ttl])).rows[0]!.n;
  return summary;
}
