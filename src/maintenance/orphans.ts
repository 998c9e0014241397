import type { BlobStat, BlobStore } from '../backends/blob-types.ts';
import type { Queryable } from '../backends/postgres/sql-client.ts';
import { BLOB_PREFIX, checkBlobKey } from '../domain/blob-keys.ts';

export interface OrphanSummary {
  blobs: number;
  bytes: number;
  temporaryFiles: number;
}

const BATCH = 500;

/**
 * Removes blobs no row names: left by a crash between a blob write and its row, by a replaced
 * output, or by a row deleted before its blobs. Only blobs older than `graceMs` are touched, so a
 * write whose row is about to be committed keeps its blob; so does a blob named by a write still
 * waiting in the fallback journal (`alsoReferenced`).
 */
export async function sweepOrphans(sql: Queryable, blobs: BlobStore, graceMs: number, dryRun: boolean, alsoReferenced: ReadonlySet<string> = new Set()): Promise<OrphanSummary> {
  const cutoff = Date.now() - graceMs;
  const summary: OrphanSummary = { blobs: 0, bytes: 0, temporaryFiles: 0 };
  let batch: BlobStat[] = [];
  const flush = async () => {
    for (const orphan of (await unreferenced(sql, batch)).filter((b) => !alsoReferenced.has(b.key))) {
      if (!dryRun) await blobs.delete(orphan.key);
      summary.blobs++;
      summary.bytes += orphan.size;
    }
    batch = [];
  };
  for await (const blob of blobs.list(BLOB_PREFIX)) {
    if (blob.modifiedAt.getTime() >= cutoff) continue;
    batch.push(blob);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  const sweepable = blobs as BlobStore & { sweepTemporary?: (olderThan: Date) => Promise<number> };
  if (!dryRun && sweepable.sweepTemporary) summary.temporaryFiles = await sweepable.sweepTemporary(new Date(cutoff));
  return summary;
}

/** The blobs of `batch` that no row's output or error names (one statement per batch). */
async function unreferenced(sql: Queryable, batch: BlobStat[]): Promise<BlobStat[]> {
  if (batch.length === 0) return [];
  const ids = [...new Set(batch.map((b) => checkBlobKey(b.key).evaluationId))];
  const { rows } = await sql.query<{ output_key: string | null; error_key: string | null }>(
    `SELECT output_blob->>'key' AS output_key, error_blob->>'key' AS error_key FROM evaluations WHERE id = ANY($1::text[])`,
    [ids],
  );
  const referenced = new Set(rows.flatMap((r) => [r.output_key, r.error_key]));
  return batch.filter((b) => !referenced.has(b.key));
}
