import type { EvaluationRecord } from '../domain/evaluation.ts';
import { eventsOf, evaluationById, evaluationsPage, metricsOf, storedText } from '../resolvers/evaluations.ts';
import { deliveredEvaluation, fieldArgs, starting } from '../subscriptions/delivery.ts';
import { evaluationUpdates } from '../subscriptions/streams/evaluation-updates.ts';
import { builder } from './builder.ts';
import { EvaluationOrderFieldEnum, EvaluationStatusEnum, OrderDirectionEnum, PageInfoRef } from './enums.ts';
import { EventConnectionRef } from './event.ts';
import { MetricRef } from './metric.ts';
import { StoredTextRef } from './stored-text.ts';

export const EvaluationRef = builder.objectRef<EvaluationRecord>('Evaluation');

EvaluationRef.implement({
  description: 'One run of submitted code, with its output, timeline and metrics.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "The platform's id, e.g. eval_20240701_120000_abc123." }),
    code: t.exposeString('code'),
    codeHash: t.exposeString('codeHash', { description: 'sha256 of code, hex, computed by the gateway.' }),
    language: t.exposeString('language'),
    status: t.expose('status', { type: EvaluationStatusEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    runtimeMs: t.exposeInt('runtimeMs', { nullable: true }),
    metadata: t.expose('metadata', { type: 'JSON' }),
    retries: t.exposeInt('retries'),
    celeryTaskId: t.exposeString('celeryTaskId', { nullable: true }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true, description: 'Set by a soft delete.' }),
    output: t.field({ type: StoredTextRef, nullable: true, description: 'Null until there is output.', resolve: (e) => storedText(e, 'output') }),
    error: t.field({ type: StoredTextRef, nullable: true, resolve: (e) => storedText(e, 'error') }),
    events: t.field({
      type: EventConnectionRef,
      description: 'The timeline, oldest first: creation, status changes and events added by workers.',
      args: {
        first: t.arg.int({ description: 'Page size (DEFAULT_PAGE_SIZE when omitted, at most MAX_PAGE_SIZE).' }),
        after: t.arg.string(),
        types: t.arg.stringList({ description: 'Only events of these types.' }),
      },
      resolve: (e, args, ctx) => eventsOf(ctx, e, args),
    }),
    metrics: t.field({
      type: [MetricRef],
      description: 'Metric points ordered by name then time; `last` keeps the newest N points of each name.',
      args: {
        names: t.arg.stringList(),
        from: t.arg({ type: 'DateTime', description: 'Inclusive.' }),
        to: t.arg({ type: 'DateTime', description: 'Exclusive.' }),
        last: t.arg.int(),
      },
      resolve: (e, args, ctx) => metricsOf(ctx, e, args),
    }),
  }),
});

const EvaluationEdgeRef = builder.objectRef<{ node: EvaluationRecord; cursor: string }>('EvaluationEdge').implement({
  fields: (t) => ({ node: t.field({ type: EvaluationRef, resolve: (e) => e.node }), cursor: t.exposeString('cursor') }),
});

type EvaluationPage = Awaited<ReturnType<typeof evaluationsPage>>;
const EvaluationConnectionRef = builder.objectRef<EvaluationPage>('EvaluationConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [EvaluationEdgeRef], resolve: (c) => c.edges }),
    pageInfo: t.field({ type: PageInfoRef, resolve: (c) => c.pageInfo }),
    totalCount: t.int({ description: 'Evaluations matching the filter, on all pages.', resolve: (c) => c.totalCount() }),
  }),
});

const EvaluationFilterInput = builder.inputType('EvaluationFilter', {
  fields: (t) => ({
    status: t.field({ type: [EvaluationStatusEnum] }),
    language: t.string(),
    createdAfter: t.field({ type: 'DateTime', description: 'Inclusive.' }),
    createdBefore: t.field({ type: 'DateTime', description: 'Exclusive.' }),
    metadataContains: t.field({ type: 'JSON', description: 'JSON containment, as PostgreSQL @>.' }),
    codeHash: t.string(),
    taskId: t.id(),
    includeDeleted: t.boolean({ defaultValue: false }),
  }),
});

const EvaluationOrderInput = builder.inputType('EvaluationOrder', {
  fields: (t) => ({
    field: t.field({ type: EvaluationOrderFieldEnum, required: true }),
    direction: t.field({ type: OrderDirectionEnum, required: true }),
  }),
});

builder.queryFields((t) => ({
  evaluation: t.field({
    type: EvaluationRef,
    nullable: true,
    description: 'An evaluation by id, also when soft-deleted (then deletedAt is set).',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, args, ctx) => evaluationById(ctx, args.id),
  }),
  evaluations: t.field({
    type: EvaluationConnectionRef,
    description: 'Evaluations, newest first unless orderBy says otherwise; a cursor connection.',
    args: {
      first: t.arg.int(),
      after: t.arg.string(),
      last: t.arg.int(),
      before: t.arg.string(),
      filter: t.arg({ type: EvaluationFilterInput }),
      orderBy: t.arg({ type: EvaluationOrderInput }),
    },
    resolve: (_, args, ctx) => evaluationsPage(ctx, args),
  }),
}));

builder.subscriptionFields((t) => ({
  evaluationUpdated: t.field({
    type: EvaluationRef,
    description:
      'The evaluation now, then after every change to its fields or running info (events, metrics and logs have ' +
      'their own subscriptions). Completes after sending a finished evaluation. NOT_FOUND for an unknown id.',
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_, __, ctx, info) => starting(evaluationUpdates(ctx, fieldArgs<{ id: string }>(info).id)),
    resolve: (value, _, ctx) => deliveredEvaluation(ctx, value),
  }),
}));
