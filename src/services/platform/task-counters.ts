import type { CounterBackend, TaskStatsRecord } from '../../backends/platform-types.ts';
import type { Config } from '../../config.ts';
import { checkKey } from '../../domain/keys.ts';
import { BadUserInputError } from '../../errors.ts';

/**
 * Execution counters per task (seed 000's TaskMetrics): totals, successes, failures and the last
 * run, kept for TASK_STATS_TTL_SECONDS after the latest write.
 */
export class TaskCounters {
  constructor(
    private readonly backend: CounterBackend,
    private readonly config: Config,
  ) {}

  async record(taskId: string, success: boolean, durationMs: number): Promise<TaskStatsRecord> {
    this.#id(taskId);
    if (!Number.isFinite(durationMs) || durationMs < 0) {
      throw new BadUserInputError(`durationMs must be a finite number of milliseconds, 0 or more (got ${durationMs}).`, { field: 'durationMs' });
    }
    return this.backend.record(taskId, success, durationMs, new Date(), this.config.platform.taskStatsTtlSeconds);
  }

  /** Null when the task has no executions recorded (or they expired). */
  async get(taskId: string): Promise<TaskStatsRecord | null> {
    return this.backend.get(this.#id(taskId));
  }

  #id(taskId: string): string {
    return checkKey('taskId', taskId, this.config.platform.kvMaxKeyBytes);
  }
}
