import type { RunningRecord } from '../../domain/running.ts';
import type { RunningStore } from '../running-types.ts';
import type { EvaluationStore } from '../types.ts';

/**
 * Running records in process memory, for the memory backend. The status check reads the
 * evaluation store and the write follows without yielding, so no other call slips in between.
 */
export function createMemoryRunningStore(evaluations: EvaluationStore): RunningStore {
  const records = new Map<string, RunningRecord>();
  const copy = (r: RunningRecord): RunningRecord => structuredClone(r);

  return {
    async upsert(evaluationId, update) {
      const evaluation = (await evaluations.getMany([evaluationId])).get(evaluationId);
      if (evaluation?.status !== 'RUNNING') return null;
      const held = records.get(evaluationId);
      const next: RunningRecord = held
        ? {
            ...held,
            containerId: update.containerId ?? held.containerId,
            host: update.host ?? held.host,
            info: update.info ? structuredClone(update.info) : held.info,
            heartbeatAt: held.heartbeatAt && held.heartbeatAt > update.at ? held.heartbeatAt : update.at,
            version: held.version + 1,
          }
        : {
            evaluationId,
            containerId: update.containerId,
            host: update.host,
            info: structuredClone(update.info ?? {}),
            startedAt: update.at,
            heartbeatAt: update.at,
            version: 1,
          };
      records.set(evaluationId, next);
      return copy(next);
    },

    async getMany(evaluationIds) {
      const found = new Map<string, RunningRecord>();
      for (const id of evaluationIds) {
        const r = records.get(id);
        if (r) found.set(id, copy(r));
      }
      return found;
    },

    async remove(evaluationId) {
      records.delete(evaluationId);
    },
  };
}
