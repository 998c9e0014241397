import type { MetricRecord } from '../domain/evaluation.ts';
import { delivered, fieldArgs, starting } from '../subscriptions/delivery.ts';
import { metricPoints } from '../subscriptions/streams/metric-stream.ts';
import { builder } from './builder.ts';

export const MetricRef = builder.objectRef<MetricRecord>('Metric').implement({
  description: 'One point of a metric time series recorded for an evaluation.',
  fields: (t) => ({
    name: t.exposeString('name'),
    value: t.exposeFloat('value'),
    unit: t.exposeString('unit', { nullable: true }),
    step: t.exposeInt('step', { nullable: true }),
    timestamp: t.expose('timestamp', { type: 'DateTime' }),
  }),
});

const MetricInput = builder.inputType('MetricInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    value: t.float({ required: true }),
    unit: t.string(),
    step: t.int(),
    timestamp: t.field({ type: 'DateTime', description: 'Defaults to the time of the request.' }),
  }),
});

builder.mutationFields((t) => ({
  recordMetrics: t.int({
    description: 'Stores many points in one call (up to MAX_METRIC_POINTS); returns how many were stored.',
    args: {
      evaluationId: t.arg.id({ required: true }),
      points: t.arg({ type: [MetricInput], required: true }),
    },
    resolve: (_, a, ctx) => ctx.evaluations.recordMetrics(a.evaluationId, a.points),
  }),
}));

builder.subscriptionFields((t) => ({
  metricPoints: t.field({
    type: MetricRef,
    description:
      'Each point recorded from now on (of `names`, or all), in the order recorded; completes when the evaluation ' +
      'finishes. Live only: after a reconnect, read what was missed with metrics(from: <last timestamp seen>).',
    args: { evaluationId: t.arg.id({ required: true }), names: t.arg.stringList() },
    subscribe: (_, __, ctx, info) => {
      const { evaluationId, names } = fieldArgs<{ evaluationId: string; names?: string[] | null }>(info);
      return starting(metricPoints(ctx, evaluationId, names));
    },
    resolve: (value, _, ctx) => delivered(ctx, value),
  }),
}));
