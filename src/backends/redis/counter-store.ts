import type { CounterBackend, TaskStatsRecord } from '../platform-types.ts';
import { execMulti, type RedisClient } from './connection.ts';
import type { KeyLayout } from './keys.ts';

/**
 * Task execution counters in one Redis hash per task (seed 000's TaskMetrics, field names kept).
 * Unlike the seed, the increments, the last-run fields and the expiry go in one MULTI, so a crash
 * between them cannot leave a counter without an expiry, and the expiry is refreshed on every
 * write (the seed only set it on the first).
 */
export function createRedisCounterStore(redis: RedisClient, keys: KeyLayout): CounterBackend {
  const read = async (key: string, taskId: string) => toRecord(taskId, await redis.hgetall(key));
  return {
    async record(taskId, success, durationMs, at, ttlSeconds) {
      const key = keys.taskStats(taskId);
      const replies = await execMulti(
        redis
          .multi()
          .hincrby(key, 'total_executions', 1)
          .hincrby(key, success ? 'successful_executions' : 'failed_executions', 1)
          .hset(key, 'last_duration', String(durationMs), 'last_execution', at.toISOString())
          .expire(key, ttlSeconds)
          .hgetall(key),
      );
      return toRecord(taskId, replies.at(-1) as Record<string, string>)!;
    },
    get: (taskId) => read(keys.taskStats(taskId), taskId),
  };
}

function toRecord(taskId: string, hash: Record<string, string>): TaskStatsRecord | null {
  if (!hash['total_executions']) return null;
  return {
    taskId,
    totalExecutions: Number(hash['total_executions']),
    successfulExecutions: Number(hash['successful_executions'] ?? 0),
    failedExecutions: Number(hash['failed_executions'] ?? 0),
    lastDurationMs: hash['last_duration'] === undefined ? null : Number(hash['last_duration']),
    lastExecutionAt: hash['last_execution'] === undefined ? null : new Date(hash['last_execution']),
  };
}
