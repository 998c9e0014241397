import { builder } from './builder.ts';
import { EvaluationStatusEnum } from './enums.ts';
import { EvaluationRef } from './evaluation.ts';

const CreateEvaluationInput = builder.inputType('CreateEvaluationInput', {
  fields: (t) => ({
    id: t.id({ description: 'Your id; generated (eval_YYYYMMDD_HHMMSS_<random>) when omitted.' }),
    code: t.string({ required: true }),
    language: t.string({ defaultValue: 'python' }),
    status: t.field({ type: EvaluationStatusEnum, defaultValue: 'QUEUED', description: 'Must be QUEUED.' }),
    metadata: t.field({ type: 'JSON', description: 'A JSON object.' }),
    taskId: t.id(),
  }),
});

const UpdateEvaluationInput = builder.inputType('UpdateEvaluationInput', {
  fields: (t) => ({
    status: t.field({ type: EvaluationStatusEnum, description: 'A checked transition; startedAt, completedAt and runtimeMs follow.' }),
    output: t.string(),
    error: t.string(),
    runtimeMs: t.int(),
    metadata: t.field({ type: 'JSON', description: 'Merged into the existing metadata (top-level keys).' }),
    retries: t.int(),
  }),
});

const TaskUpdateInput = builder.inputType('TaskUpdateInput', {
  fields: (t) => ({
    celeryTaskId: t.string({ required: true }),
    taskState: t.string({ required: true, description: 'PENDING, RECEIVED, STARTED, RETRY, SUCCESS, FAILURE or REVOKED.' }),
    retries: t.int(),
    output: t.string(),
    error: t.string(),
  }),
});

builder.mutationFields((t) => ({
  createEvaluation: t.field({
    type: EvaluationRef,
    description: 'Idempotent: the same id with the same code and language returns the existing evaluation.',
    args: { input: t.arg({ type: CreateEvaluationInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.evaluations.create(input),
  }),
  updateEvaluation: t.field({
    type: EvaluationRef,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateEvaluationInput, required: true }) },
    resolve: (_, { id, input }, ctx) => ctx.evaluations.update(id, input),
  }),
  deleteEvaluation: t.field({
    type: EvaluationRef,
    description: 'Soft delete: hidden from lists unless includeDeleted, still readable by id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, ctx) => ctx.evaluations.softDelete(id),
  }),
  restoreEvaluation: t.field({
    type: EvaluationRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, ctx) => ctx.evaluations.restore(id),
  }),
  applyTaskUpdate: t.field({
    type: EvaluationRef,
    description: "A Celery task's state, mapped to the evaluation's status (seed 004's celery-update).",
    args: { evaluationId: t.arg.id({ required: true }), input: t.arg({ type: TaskUpdateInput, required: true }) },
    resolve: (_, { evaluationId, input }, ctx) => ctx.evaluations.applyTaskUpdate(evaluationId, input),
  }),
}));
