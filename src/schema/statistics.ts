import type { StatisticsRecord } from '../backends/types.ts';
import { checkTimeRange } from '../domain/validate.ts';
import { builder } from './builder.ts';
import { EvaluationStatusEnum } from './enums.ts';

const StatusCountRef = builder.objectRef<StatisticsRecord['byStatus'][number]>('StatusCount').implement({
  fields: (t) => ({ status: t.expose('status', { type: EvaluationStatusEnum }), count: t.exposeInt('count') }),
});

const LanguageCountRef = builder.objectRef<StatisticsRecord['byLanguage'][number]>('LanguageCount').implement({
  fields: (t) => ({ language: t.exposeString('language'), count: t.exposeInt('count') }),
});

const RuntimeSummaryRef = builder.objectRef<StatisticsRecord['runtimeMs']>('RuntimeSummary').implement({
  description: 'Runtime in milliseconds over evaluations that reported one; percentiles are interpolated.',
  fields: (t) => ({
    avg: t.exposeFloat('avg', { nullable: true }),
    p50: t.exposeFloat('p50', { nullable: true }),
    p95: t.exposeFloat('p95', { nullable: true }),
    max: t.exposeFloat('max', { nullable: true }),
  }),
});

const StatisticsRef = builder.objectRef<StatisticsRecord>('Statistics').implement({
  description: 'Aggregates over evaluations that are not deleted, computed by the store in one pass.',
  fields: (t) => ({
    total: t.exposeInt('total'),
    byStatus: t.field({ type: [StatusCountRef], resolve: (s) => s.byStatus }),
    byLanguage: t.field({ type: [LanguageCountRef], resolve: (s) => s.byLanguage }),
    runtimeMs: t.field({ type: RuntimeSummaryRef, resolve: (s) => s.runtimeMs }),
  }),
});

builder.queryFields((t) => ({
  statistics: t.field({
    type: StatisticsRef,
    args: {
      from: t.arg({ type: 'DateTime', description: 'Created at or after (inclusive).' }),
      to: t.arg({ type: 'DateTime', description: 'Created before (exclusive).' }),
    },
    resolve: (_, { from, to }, ctx) => {
      checkTimeRange('from', from, 'to', to);
      return ctx.registry.evaluations.statistics({ from: from ?? undefined, to: to ?? undefined });
    },
  }),
}));
