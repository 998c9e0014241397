import { createResult, createTask, link, taskOfEvaluation, unlink } from '../resolvers/graph.ts';
import { builder } from './builder.ts';
import { EvaluationRef } from './evaluation.ts';
import { RelationshipRef, ResultRef, TaskRef } from './graph.ts';

const CreateTaskInput = builder.inputType('CreateTaskInput', {
  fields: (t) => ({
    id: t.id({ description: 'Your id; generated (task_<random>) when omitted.' }),
    name: t.string({ required: true }),
    status: t.string(),
    data: t.field({ type: 'JSON', description: 'A JSON object; {} when omitted.' }),
  }),
});

const CreateResultInput = builder.inputType('CreateResultInput', {
  fields: (t) => ({
    id: t.id({ description: 'Your id; generated (result_<random>) when omitted.' }),
    data: t.field({ type: 'JSON', required: true, description: 'A JSON object.' }),
  }),
});

builder.mutationFields((t) => ({
  createTask: t.field({
    type: TaskRef,
    description: 'Idempotent: the same id with the same content returns the stored task; different content is a CONFLICT.',
    args: { input: t.arg({ type: CreateTaskInput, required: true }) },
    resolve: (_, { input }, ctx) => createTask(ctx, input),
  }),
  createResult: t.field({
    type: ResultRef,
    description: 'Idempotent like createTask.',
    args: { input: t.arg({ type: CreateResultInput, required: true }) },
    resolve: (_, { input }, ctx) => createResult(ctx, input),
  }),
  link: t.field({
    type: RelationshipRef,
    description: 'Adds a typed edge. NOT_FOUND when either vertex is missing; an edge of the same type between the same vertices is returned as it is.',
    args: {
      from: t.arg.id({ required: true }),
      to: t.arg.id({ required: true }),
      type: t.arg.string({ required: true, description: 'e.g. produced; letters, digits, "_", ".", ":" or "-".' }),
      data: t.arg({ type: 'JSON' }),
    },
    resolve: (_, args, ctx) => link(ctx, args),
  }),
  unlink: t.boolean({
    description: 'Removes an edge; false when there was none with this id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, ctx) => unlink(ctx, id),
  }),
}));

builder.objectField(EvaluationRef, 'task', (t) =>
  t.field({
    type: TaskRef,
    nullable: true,
    description: 'The task vertex whose id is this evaluation\'s taskId; null when taskId is unset or names no task.',
    resolve: (e, _, ctx) => taskOfEvaluation(ctx, e),
  }),
);
