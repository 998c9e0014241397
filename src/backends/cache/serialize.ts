import type { EvaluationRecord, StoredTextRecord } from '../../domain/evaluation.ts';

/** Texts above this many bytes are not cached: they would cost more in Redis than a primary read. */
export const MAX_CACHED_TEXT_BYTES = 64 * 1024;

type Wire = Omit<EvaluationRecord, 'createdAt' | 'updatedAt' | 'startedAt' | 'completedAt' | 'deletedAt' | 'output' | 'error'> & {
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  completedAt: string | null;
  deletedAt: string | null;
  output: WireText | null;
  error: WireText | null;
};
type WireText = Pick<StoredTextRecord, 'location' | 'size' | 'sha256' | 'blob'> & { base64: string };

const date = (d: Date | null) => (d ? d.toISOString() : null);
const revive = (s: string | null) => (s ? new Date(s) : null);
// A blob-stored text carries only its preview and blob reference, so it is as cheap to cache as a small one.
const text = (t: StoredTextRecord | null): WireText | null =>
  t && { location: t.location, size: t.size, sha256: t.sha256 ?? null, blob: t.blob ?? null, base64: t.data.toString('base64') };
const untext = (t: WireText | null): StoredTextRecord | null =>
  t && { location: t.location, size: t.size, sha256: t.sha256 ?? null, blob: t.blob ?? null, data: Buffer.from(t.base64, 'base64') };

export function isCacheable(e: EvaluationRecord): boolean {
  // A record served from the fallback journal is about to be replaced by its replayed row.
  if (e.storedIn) return false;
  return (e.output?.data.length ?? 0) <= MAX_CACHED_TEXT_BYTES && (e.error?.data.length ?? 0) <= MAX_CACHED_TEXT_BYTES;
}

export function serializeEvaluation(e: EvaluationRecord): string {
  const wire: Wire = {
    ...e,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
    startedAt: date(e.startedAt),
    completedAt: date(e.completedAt),
    deletedAt: date(e.deletedAt),
    output: text(e.output),
    error: text(e.error),
  };
  return JSON.stringify(wire);
}

export function deserializeEvaluation(json: string): EvaluationRecord {
  const w = JSON.parse(json) as Wire;
  return {
    ...w,
    createdAt: new Date(w.createdAt),
    updatedAt: new Date(w.updatedAt),
    startedAt: revive(w.startedAt),
    completedAt: revive(w.completedAt),
    deletedAt: revive(w.deletedAt),
    output: untext(w.output),
    error: untext(w.error),
  };
}
