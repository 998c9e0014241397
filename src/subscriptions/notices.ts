import { isFinished, type EvaluationRecord, type EvaluationStatus, type MetricRecord } from '../domain/evaluation.ts';
import type { LogLineRecord, RunningRecord } from '../domain/running.ts';
import type { EvaluationChange } from '../services/after-commit.ts';

/**
 * What travels between gateway processes: small, JSON-safe (dates are revived by the serializer)
 * and never the whole evaluation, whose texts may be large. A process that receives an `updated`
 * notice reads the evaluation once for all of its subscribers (feed.ts), so each delivery shows
 * the state at or after the change, never before it.
 */
export type EvaluationNotice =
  | { kind: 'updated'; evaluationId: string; status: EvaluationStatus }
  /** addEvent stored an event; subscribers read the events after the last one they sent. */
  | { kind: 'event'; evaluationId: string }
  | { kind: 'metrics'; evaluationId: string; points: MetricRecord[] }
  | { kind: 'logs'; evaluationId: string; lines: LogLineRecord[] }
  | { kind: 'heartbeat'; evaluationId: string; record: RunningRecord };

export type RunningChangeKind = 'STARTED' | 'UPDATED' | 'FINISHED';

export interface RunningNotice {
  kind: RunningChangeKind;
  evaluationId: string;
  /** The worker's report, for UPDATED changes that markRunning made. */
  record: RunningRecord | null;
}

/**
 * Local only, never published: this process may have missed notices (its Redis subscriber
 * connection came back after an outage), so every open subscription catches up from the database.
 */
export interface ResyncNotice {
  kind: 'resync';
}

/** Topics of the pub/sub, per evaluation and one for the running set. */
export interface Topics {
  evaluation: [string, EvaluationNotice];
  running: [RunningNotice];
}

export interface Published {
  evaluation: EvaluationNotice;
  running: RunningNotice | null;
  /** The committed row, when the change carried one: this process's subscribers need not read it. */
  record: EvaluationRecord | null;
}

/** The notices one committed change publishes: always on its evaluation's topic, sometimes on `running`. */
export function noticesOf(change: EvaluationChange): Published {
  switch (change.kind) {
    case 'updated': {
      const { before, after } = change;
      const notice: EvaluationNotice = { kind: 'updated', evaluationId: after.id, status: after.status };
      return { evaluation: notice, running: runningNotice(before.status, after.status, after.id), record: after };
    }
    case 'event':
      return { evaluation: { kind: 'event', evaluationId: change.event.evaluationId }, running: null, record: null };
    case 'metrics':
      return { evaluation: { kind: 'metrics', evaluationId: change.evaluationId, points: [...change.points] }, running: null, record: null };
    case 'logs':
      return { evaluation: { kind: 'logs', evaluationId: change.evaluationId, lines: [...change.lines] }, running: null, record: null };
    case 'heartbeat': {
      const { evaluation, record } = change;
      const running: RunningNotice = { kind: 'UPDATED', evaluationId: evaluation.id, record };
      return { evaluation: { kind: 'heartbeat', evaluationId: evaluation.id, record }, running, record: evaluation };
    }
  }
}

/** STARTED on entering RUNNING, FINISHED on leaving it, UPDATED for any other change while RUNNING. */
function runningNotice(before: EvaluationStatus, after: EvaluationStatus, evaluationId: string): RunningNotice | null {
  if (after === 'RUNNING') return { kind: before === 'RUNNING' ? 'UPDATED' : 'STARTED', evaluationId, record: null };
  if (before === 'RUNNING' && isFinished(after)) return { kind: 'FINISHED', evaluationId, record: null };
  return null;
}
