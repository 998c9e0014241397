import type { RunningRecord } from '../domain/running.ts';
import { delivered, starting } from '../subscriptions/delivery.ts';
import { runningChanges, type RunningChange } from '../subscriptions/streams/running-changes.ts';
import { builder } from './builder.ts';
import { EvaluationRef } from './evaluation.ts';

export const RunningInfoRef = builder.objectRef<RunningRecord>('RunningInfo').implement({
  description: 'Where a RUNNING evaluation runs, as its worker last reported through markRunning.',
  fields: (t) => ({
    containerId: t.exposeString('containerId', { nullable: true }),
    host: t.exposeString('host', { nullable: true }),
    startedAt: t.expose('startedAt', {
      type: 'DateTime',
      description: "When the first report arrived; the evaluation's startedAt when no worker has reported yet.",
    }),
    heartbeatAt: t.expose('heartbeatAt', { type: 'DateTime', nullable: true, description: 'The latest report; null before the first.' }),
    info: t.expose('info', { type: 'JSON', description: 'The JSON object of the latest report that carried one.' }),
  }),
});

const RunningInput = builder.inputType('RunningInput', {
  description: 'A report from the worker running an evaluation. Omitted fields keep their recorded value.',
  fields: (t) => ({
    containerId: t.string(),
    host: t.string(),
    info: t.field({ type: 'JSON', description: 'A JSON object; replaces the recorded one whole (it is not merged).' }),
  }),
});

builder.objectFields(EvaluationRef, (t) => ({
  running: t.field({
    type: RunningInfoRef,
    nullable: true,
    description: 'Container info while the evaluation is RUNNING, else null.',
    resolve: (e, _, ctx) => ctx.running.of(e),
  }),
}));

builder.queryFields((t) => ({
  runningEvaluations: t.field({
    type: [EvaluationRef],
    description:
      'Every RUNNING evaluation (also soft-deleted ones), oldest start first, at most RUNNING_LIST_MAX. With Redis: ' +
      'one round trip for the running set plus one batched load of the evaluations.',
    resolve: (_, __, ctx) => ctx.running.list(),
  }),
}));

builder.mutationFields((t) => ({
  markRunning: t.field({
    type: EvaluationRef,
    description:
      'A worker reports that it runs the evaluation. QUEUED: it becomes RUNNING (startedAt, status_changed event). ' +
      'RUNNING: a heartbeat (heartbeatAt = now). Finished: INVALID_TRANSITION.',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: RunningInput }) },
    resolve: (_, { id, input }, ctx) => ctx.running.markRunning(id, input),
  }),
}));

const RunningChangeKindEnum = builder.enumType('RunningChangeKind', {
  description: 'STARTED: the evaluation went RUNNING. UPDATED: it changed while RUNNING (worker reports too). FINISHED: it left RUNNING.',
  values: ['STARTED', 'UPDATED', 'FINISHED'] as const,
});

const RunningChangeRef = builder.objectRef<RunningChange>('RunningChange').implement({
  description: 'A change to the set of RUNNING evaluations, with the evaluation as of that change.',
  fields: (t) => ({
    kind: t.field({ type: RunningChangeKindEnum, resolve: (c) => c.kind }),
    evaluation: t.field({ type: EvaluationRef, resolve: (c) => c.evaluation }),
  }),
});

builder.subscriptionFields((t) => ({
  runningEvaluations: t.field({
    type: RunningChangeRef,
    description:
      'Changes to the set of RUNNING evaluations. For a live list: subscribe, then query runningEvaluations, and apply ' +
      'changes by evaluation id. Ends with SUBSCRIPTION_INTERRUPTED if changes may have been missed: subscribe and query again.',
    subscribe: (_, __, ctx) => starting(runningChanges(ctx)),
    resolve: (value, _, ctx) => {
      const change = delivered(ctx, value);
      ctx.loaders.evaluation.prime(change.evaluation.id, change.evaluation);
      if (change.record) ctx.loaders.running.prime(change.record.evaluationId, change.record);
      return change;
    },
  }),
}));
