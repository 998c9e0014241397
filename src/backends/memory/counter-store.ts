import type { CounterBackend, TaskStatsRecord } from '../platform-types.ts';

/** Task counters in process memory, expiring like the Redis hashes (refreshed on every write). */
export function createMemoryCounterStore(now: () => number = Date.now): CounterBackend & { close(): void } {
  const stats = new Map<string, { record: TaskStatsRecord; expiresAt: number }>();
  const live = (taskId: string) => {
    const entry = stats.get(taskId);
    if (entry && entry.expiresAt <= now()) stats.delete(taskId);
    return stats.get(taskId)?.record;
  };
  return {
    async record(taskId, success, durationMs, at, ttlSeconds) {
      const record = live(taskId) ?? { taskId, totalExecutions: 0, successfulExecutions: 0, failedExecutions: 0, lastDurationMs: null, lastExecutionAt: null };
      record.totalExecutions++;
      if (success) record.successfulExecutions++;
      else record.failedExecutions++;
      record.lastDurationMs = durationMs;
      record.lastExecutionAt = at;
      stats.set(taskId, { record, expiresAt: now() + ttlSeconds * 1000 });
      return { ...record };
    },
    async get(taskId) {
      const record = live(taskId);
      return record ? { ...record } : null;
    },
    close: () => stats.clear(),
  };
}
