import type { TaskStatsRecord } from '../backends/platform-types.ts';
import { recordExecution, taskStats } from '../resolvers/platform.ts';
import { builder } from './builder.ts';

const TaskStatsRef = builder.objectRef<TaskStatsRecord>('TaskStats').implement({
  description: "A task's execution counters, kept for TASK_STATS_TTL_SECONDS (24 h by default) after the latest run.",
  fields: (t) => ({
    taskId: t.exposeID('taskId'),
    totalExecutions: t.exposeInt('totalExecutions'),
    successfulExecutions: t.exposeInt('successfulExecutions'),
    failedExecutions: t.exposeInt('failedExecutions'),
    lastDurationMs: t.exposeFloat('lastDurationMs', { nullable: true }),
    lastExecutionAt: t.expose('lastExecutionAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryFields((t) => ({
  taskStats: t.field({
    type: TaskStatsRef,
    nullable: true,
    description: 'Null when no execution of the task was recorded (or the counters expired).',
    args: { taskId: t.arg.id({ required: true }) },
    resolve: (_, { taskId }, ctx) => taskStats(ctx, taskId),
  }),
}));

builder.mutationFields((t) => ({
  recordExecution: t.field({
    type: TaskStatsRef,
    description: 'Counts one execution of the task, atomically, and returns the counters after it.',
    args: {
      taskId: t.arg.id({ required: true }),
      success: t.arg.boolean({ required: true }),
      durationMs: t.arg.float({ required: true }),
    },
    resolve: (_, { taskId, success, durationMs }, ctx) => recordExecution(ctx, taskId, success, durationMs),
  }),
}));
