import type { StoredTextRecord } from '../domain/evaluation.ts';
import type { TextWriter } from '../services/texts/write.ts';
import type { EvaluationPatch, EvaluationStore } from './types.ts';

const KINDS = ['output', 'error'] as const;

/**
 * EvaluationStore that routes output and error by size before they reach the row. A text without
 * a checksum is one the service has not routed yet (GraphQL's updateEvaluation, applyTaskUpdate);
 * a streamed upload arrives routed already and passes through.
 *
 * Crash safety comes from the order: the blob is complete before the row that names it is
 * written. If the row is not written (the compare-and-set lost, the evaluation is gone, the
 * database failed) the new blob is removed here; if the process dies in between, it is an orphan
 * that `strata cleanup` collects. A row never points at a missing blob.
 */
export function withTextRouting(inner: EvaluationStore, texts: Pick<TextWriter, 'route' | 'discard'>): EvaluationStore {
  return {
    ...inner,
    async update(id, expectedStatus, patch, events) {
      const routed: EvaluationPatch = { ...patch };
      const created: StoredTextRecord[] = [];
      try {
        for (const which of KINDS) {
          const text = patch[which];
          if (!text || text.sha256 != null) continue;
          routed[which] = await texts.route(id, which, text.data);
          created.push(routed[which]!);
        }
        const updated = await inner.update(id, expectedStatus, routed, events);
        if (!updated) await Promise.all(created.map((t) => texts.discard(t)));
        return updated;
      } catch (err) {
        await Promise.all(created.map((t) => texts.discard(t)));
        throw err;
      }
    },
  };
}
