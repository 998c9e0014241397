import { EVALUATION_STATUSES, STORAGE_LOCATIONS } from '../domain/evaluation.ts';
import { builder } from './builder.ts';

export const EvaluationStatusEnum = builder.enumType('EvaluationStatus', {
  description: 'Where an evaluation is in its life: QUEUED -> RUNNING -> COMPLETED | FAILED | CANCELLED | TIMEOUT, or QUEUED -> CANCELLED.',
  values: EVALUATION_STATUSES,
});

export const OrderDirectionEnum = builder.enumType('OrderDirection', { values: ['ASC', 'DESC'] as const });

export const StorageLocationEnum = builder.enumType('StorageLocation', {
  description: 'Where a text is kept: inline in the row, compressed in the row, in a file, or in S3.',
  values: STORAGE_LOCATIONS,
});

export const EvaluationOrderFieldEnum = builder.enumType('EvaluationOrderField', {
  description: 'Sort key for evaluations; ties are broken by id, and rows without a value come last.',
  values: ['CREATED_AT', 'COMPLETED_AT', 'RUNTIME_MS'] as const,
});

export const PageInfoRef = builder
  .objectRef<{ hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }>('PageInfo')
  .implement({
    description: 'Relay page information. Cursors are opaque: pass them back unchanged.',
    fields: (t) => ({
      hasNextPage: t.exposeBoolean('hasNextPage'),
      hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
      startCursor: t.exposeString('startCursor', { nullable: true }),
      endCursor: t.exposeString('endCursor', { nullable: true }),
    }),
  });
