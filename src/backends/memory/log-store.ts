import type { LogLineRecord, LogSlice } from '../../domain/running.ts';
import type { LogStore } from '../running-types.ts';
import type { EvaluationStore } from '../types.ts';

/**
 * Log lines in process memory, for the memory backend. Numbers are taken and lines stored without
 * yielding after the existence check, so concurrent appenders get consecutive, distinct seqs.
 */
export function createMemoryLogStore(evaluations: EvaluationStore): LogStore {
  const logs = new Map<string, LogLineRecord[]>();

  return {
    async append(evaluationId, lines) {
      const evaluation = (await evaluations.getMany([evaluationId])).get(evaluationId);
      if (!evaluation) return null;
      const stored = logs.get(evaluationId) ?? [];
      logs.set(evaluationId, stored);
      const base = stored.length;
      const added = lines.map((l, i) => ({ seq: base + i + 1, timestamp: new Date(l.timestamp), stream: l.stream, text: l.text }));
      stored.push(...added);
      return { lines: added.map((l) => ({ ...l, timestamp: new Date(l.timestamp) })), status: evaluation.status };
    },

    async read(evaluationIds, query) {
      const result = new Map<string, LogSlice>();
      for (const id of new Set(evaluationIds)) {
        const stored = logs.get(id) ?? [];
        // Seqs are positions: line n is at index n - 1, so afterSeq is a slice start.
        const after = stored.slice(Math.min(query.afterSeq, stored.length));
        const picked = query.fromEnd ? after.slice(Math.max(0, after.length - query.limit)) : after.slice(0, query.limit);
        result.set(id, { lines: picked.map((l) => ({ ...l, timestamp: new Date(l.timestamp) })), lastSeq: stored.length });
      }
      return result;
    },
  };
}
