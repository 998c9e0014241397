import type { EvaluationRecord, EvaluationStatus, EventRecord, MetricRecord } from '../domain/evaluation.ts';
import type { LogLineRecord, RunningRecord } from '../domain/running.ts';

/**
 * A change to an evaluation that the services have committed to the primary store. Every path that
 * changes an evaluation reports one (see `AfterCommit`), and every listener (the Redis running
 * mirror, the subscription feed) reads from this one union, so a new kind of change is a type
 * error in each listener until it handles it.
 */
export type EvaluationChange =
  /** The row changed (status, output, metadata, deletion, ...): the evaluation before and after. */
  | { readonly kind: 'updated'; readonly before: EvaluationRecord; readonly after: EvaluationRecord }
  /** addEvent stored an event (status changes write theirs inside an 'updated' change). */
  | { readonly kind: 'event'; readonly event: EventRecord }
  | { readonly kind: 'metrics'; readonly evaluationId: string; readonly points: readonly MetricRecord[] }
  /** appendLogs stored lines; `status` is the evaluation's as the append saw it. */
  | { readonly kind: 'logs'; readonly evaluationId: string; readonly status: EvaluationStatus; readonly lines: readonly LogLineRecord[] }
  /** markRunning recorded a worker's report on a RUNNING evaluation. */
  | { readonly kind: 'heartbeat'; readonly evaluation: EvaluationRecord; readonly record: RunningRecord };

/** The evaluation a change belongs to. */
export function changedEvaluationId(change: EvaluationChange): string {
  switch (change.kind) {
    case 'updated':
      return change.after.id;
    case 'event':
      return change.event.evaluationId;
    case 'heartbeat':
      return change.evaluation.id;
    default:
      return change.evaluationId;
  }
}

/**
 * Called by the services after every committed change, whatever the path (updateEvaluation,
 * applyTaskUpdate, markRunning, addEvent, recordMetrics, appendLogs, ...), before the mutation
 * returns: so once a client sees a mutation's answer, the derived state (the Redis running set and
 * log tails) agrees, and the change has been handed to subscribers. It must not reject: the change
 * is already durable, so a listener logs its own failures.
 */
export type AfterCommit = (change: EvaluationChange) => Promise<void>;

/** Several listeners as one, called in order (the mirror before the feed: see registry.ts). */
export function allOf(...listeners: AfterCommit[]): AfterCommit {
  return async (change) => {
    for (const listener of listeners) await listener(change);
  };
}
