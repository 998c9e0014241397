import type { Queryable } from '../backends/postgres/sql-client.ts';
import { Params } from '../backends/postgres/sql-client.ts';
import type { StoredTextRecord } from '../domain/evaluation.ts';
import { sha256Hex } from '../domain/ids.ts';
import type { ImportRecord } from './parse.ts';

const textColumns = (t: StoredTextRecord | null, p: Params) =>
  [t?.location ?? null, t?.size ?? null, t?.data ?? null, t?.sha256 ?? null, t?.blob ? JSON.stringify(t.blob) : null].map((v) => p.add(v));

/**
 * Writes one imported evaluation with its events and metrics, inside the caller's transaction, or
 * nothing when the id already exists (ON CONFLICT DO NOTHING): importing twice changes nothing.
 * Returns whether it was written.
 */
export async function insertImported(tx: Queryable, r: ImportRecord, output: StoredTextRecord | null, error: StoredTextRecord | null): Promise<boolean> {
  const p = new Params();
  const values = [r.id, r.code, sha256Hex(r.code), r.language, r.status, r.createdAt, r.startedAt, r.completedAt, r.runtimeMs, JSON.stringify(r.metadata), r.retries, r.celeryTaskId, r.taskId, r.deletedAt].map((v) => p.add(v));
  const out = textColumns(output, p);
  const err = textColumns(error, p);
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO evaluations (id, code, code_hash, language, status, created_at, started_at, completed_at, runtime_ms, metadata, retries,
       celery_task_id, task_id, deleted_at, output_location, output_size, output_data, output_sha256, output_blob,
       error_location, error_size, error_data, error_sha256, error_blob, updated_at)
     VALUES (${values.join(', ')}, ${out.slice(0, 4).join(', ')}, ${out[4]}::jsonb, ${err.slice(0, 4).join(', ')}, ${err[4]}::jsonb, now())
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    p.values,
  );
  if (rows.length === 0) return false;
  if (r.events.length > 0) {
    await tx.query(
      `INSERT INTO evaluation_events (evaluation_id, type, timestamp, message, metadata)
       SELECT $1, * FROM unnest($2::text[], $3::timestamptz[], $4::text[], $5::jsonb[])`,
      [r.id, r.events.map((e) => e.type), r.events.map((e) => e.timestamp), r.events.map((e) => e.message), r.events.map((e) => JSON.stringify(e.metadata))],
    );
  }
  if (r.metrics.length > 0) {
    await tx.query(
      `INSERT INTO evaluation_metrics (evaluation_id, name, value, unit, step, timestamp)
       SELECT $1, * FROM unnest($2::text[], $3::float8[], $4::text[], $5::int[], $6::timestamptz[])`,
      [r.id, r.metrics.map((m) => m.name), r.metrics.map((m) => m.value), r.metrics.map((m) => m.unit), r.metrics.map((m) => m.step), r.metrics.map((m) => m.timestamp)],
    );
  }
  return true;
}
