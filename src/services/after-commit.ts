import type { EvaluationRecord } from '../domain/evaluation.ts';

/** A status change the EvaluationService has committed: the evaluation before and after it. */
export interface StatusChange {
  readonly before: EvaluationRecord;
  readonly after: EvaluationRecord;
}

/**
 * Called by the EvaluationService after every committed status change, whatever the path
 * (updateEvaluation, applyTaskUpdate, markRunning), before the mutation returns: so once a client
 * sees a mutation's answer, the derived state (the Redis running set; later, subscriptions) agrees.
 * It must not reject: the change is already durable, so a listener logs its own failures.
 */
export type AfterStatusChange = (change: StatusChange) => Promise<void>;
