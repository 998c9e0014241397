import type { EvaluationRecord, JsonObject } from './evaluation.ts';

/**
 * Running evaluations and their logs (seed 004: `eval:{id}:running`, `running_evaluations`,
 * `logs:{id}:latest`). PostgreSQL (or memory) holds the truth; Redis only mirrors it.
 */

/** Container info of a RUNNING evaluation, as its worker last reported it through markRunning. */
export interface RunningRecord {
  evaluationId: string;
  containerId: string | null;
  host: string | null;
  /** Replaced as a whole by each report that carries `info` (not merged), so its size stays bounded. */
  info: JsonObject;
  /** When the first report arrived (or, for an evaluation never reported, when it started RUNNING). */
  startedAt: Date;
  /** The latest report; null for an evaluation that went RUNNING without any markRunning. */
  heartbeatAt: Date | null;
  /**
   * Grows by one on every write to the primary. The Redis mirror keeps the highest version it was
   * given, so a slow writer can never replace newer container info with older.
   */
  version: number;
}

/**
 * What a RUNNING evaluation without a record looks like: it went RUNNING through updateEvaluation
 * or applyTaskUpdate, and no worker has reported a container yet. Version 0 loses to any report.
 */
export function impliedRunning(evaluation: EvaluationRecord): RunningRecord {
  return {
    evaluationId: evaluation.id,
    containerId: null,
    host: null,
    info: {},
    startedAt: evaluation.startedAt ?? evaluation.updatedAt,
    heartbeatAt: null,
    version: 0,
  };
}

/** One stored log line. `seq` counts from 1 per evaluation, with no gaps. */
export interface LogLineRecord {
  seq: number;
  timestamp: Date;
  stream: string;
  text: string;
}

/** A read's lines (oldest first) and the evaluation's highest seq as the source knew it (0: none). */
export interface LogSlice {
  lines: LogLineRecord[];
  lastSeq: number;
}

/**
 * Which lines a read wants: those with seq > afterSeq, at most `limit` of them, the oldest
 * (`fromEnd` false: paging forwards) or the newest (`fromEnd` true: a tail).
 */
export interface LogQuery {
  afterSeq: number;
  limit: number;
  fromEnd: boolean;
}

/**
 * The seq a client continues from: one past the last line returned. When a read returns no lines it
 * is one past what the read covered: afterSeq, or for a tail the evaluation's last seq if higher.
 * So `afterSeq = nextSeq - 1` (or a subscription's `fromSeq = nextSeq`) never skips or repeats a line.
 */
export function nextSeqOf(query: LogQuery, slice: LogSlice): number {
  const last = slice.lines.at(-1);
  if (last) return last.seq + 1;
  return (query.fromEnd ? Math.max(query.afterSeq, slice.lastSeq) : query.afterSeq) + 1;
}
