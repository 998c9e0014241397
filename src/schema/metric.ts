import type { MetricRecord } from '../domain/evaluation.ts';
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
