import type { EventRecord } from '../domain/evaluation.ts';
import { eventCursor, type EventConnectionSource } from '../resolvers/evaluations.ts';
import { delivered, fieldArgs, starting } from '../subscriptions/delivery.ts';
import { evaluationEvents } from '../subscriptions/streams/event-stream.ts';
import { builder } from './builder.ts';
import { PageInfoRef } from './enums.ts';

export const EventRef = builder.objectRef<EventRecord>('EvaluationEvent').implement({
  description: "One entry of an evaluation's timeline.",
  fields: (t) => ({
    id: t.exposeID('id'),
    evaluationId: t.exposeID('evaluationId'),
    type: t.exposeString('type', { description: 'created, status_changed, deleted, restored, task_update, or a type a worker chose.' }),
    timestamp: t.expose('timestamp', { type: 'DateTime' }),
    message: t.exposeString('message', { nullable: true }),
    metadata: t.expose('metadata', { type: 'JSON' }),
  }),
});

const EventEdgeRef = builder.objectRef<EventRecord>('EvaluationEventEdge').implement({
  fields: (t) => ({
    node: t.field({ type: EventRef, resolve: (e) => e }),
    cursor: t.string({ resolve: eventCursor }),
  }),
});

export const EventConnectionRef = builder.objectRef<EventConnectionSource>('EvaluationEventConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [EventEdgeRef], resolve: (c) => c.events }),
    pageInfo: t.field({
      type: PageInfoRef,
      resolve: (c) => ({
        hasNextPage: c.hasNextPage,
        hasPreviousPage: c.hasPreviousPage,
        startCursor: c.events[0] ? eventCursor(c.events[0]) : null,
        endCursor: c.events.length ? eventCursor(c.events[c.events.length - 1]!) : null,
      }),
    }),
    totalCount: t.int({
      description: 'Events matching `types`, on all pages.',
      resolve: (c, _, ctx) => ctx.loaders.eventCount(c.types).load(c.evaluationId),
    }),
  }),
});

builder.mutationFields((t) => ({
  addEvent: t.field({
    type: EventRef,
    description: "Appends an event to an evaluation's timeline.",
    args: {
      evaluationId: t.arg.id({ required: true }),
      type: t.arg.string({ required: true }),
      message: t.arg.string(),
      metadata: t.arg({ type: 'JSON' }),
    },
    resolve: (_, a, ctx) => ctx.evaluations.addEvent(a.evaluationId, a.type, a.message, a.metadata),
  }),
}));

builder.subscriptionFields((t) => ({
  evaluationEvents: t.field({
    type: EventRef,
    description:
      'The timeline after `afterId` (all of it when omitted), then each new event, oldest first, each once; completes ' +
      'after the events of the change that finishes the evaluation. To resume, pass the id of the last event received.',
    args: { id: t.arg.id({ required: true }), afterId: t.arg.id({ description: 'An event id: start after this event.' }) },
    subscribe: (_, __, ctx, info) => {
      const { id, afterId } = fieldArgs<{ id: string; afterId?: string | null }>(info);
      return starting(evaluationEvents(ctx, id, afterId));
    },
    resolve: (value, _, ctx) => delivered(ctx, value),
  }),
}));
