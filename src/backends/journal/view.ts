import type { EvaluationRecord, StoredTextRecord } from '../../domain/evaluation.ts';
import type { EvaluationPatch } from '../types.ts';
import { entryId, type JournalEntry } from './entries.ts';

const copyText = (t: StoredTextRecord): StoredTextRecord => ({ ...t, data: Buffer.from(t.data) });

/** An evaluation's record after applying a patch, as the stores apply it. */
export function applyPatch(e: EvaluationRecord, patch: EvaluationPatch): EvaluationRecord {
  const { metadataMerge, output, error, ...plain } = patch;
  const next: EvaluationRecord = { ...e, updatedAt: new Date() };
  for (const [k, v] of Object.entries(plain)) if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
  if (metadataMerge) next.metadata = { ...e.metadata, ...metadataMerge };
  if (output) next.output = copyText(output);
  if (error) next.error = copyText(error);
  return next;
}

/**
 * Evaluations created in the journal, as reads see them: the create with every later update of
 * the same evaluation applied in order. Evaluations that live in the primary are not here.
 */
export function journaledEvaluations(entries: readonly JournalEntry[]): Map<string, EvaluationRecord> {
  const view = new Map<string, EvaluationRecord>();
  for (const e of entries) {
    if (e.op === 'create') {
      if (view.has(e.evaluation.id)) continue;
      const ev = e.evaluation;
      view.set(ev.id, { ...ev, updatedAt: ev.createdAt, startedAt: null, completedAt: null, runtimeMs: null, retries: 0, celeryTaskId: null, deletedAt: null, output: null, error: null, storedIn: 'FALLBACK_JOURNAL' });
    } else if (e.op === 'update') {
      const current = view.get(entryId(e));
      if (current && current.status === e.expectedStatus) view.set(e.id, applyPatch(current, e.patch));
    }
  }
  return view;
}
