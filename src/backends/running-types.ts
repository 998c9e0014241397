import type { EvaluationRecord, EvaluationStatus, JsonObject } from '../domain/evaluation.ts';
import type { LogLineRecord, LogQuery, LogSlice, RunningRecord } from '../domain/running.ts';
import type { AfterCommit } from '../services/after-commit.ts';

/**
 * Capabilities behind markRunning, runningEvaluations, appendLogs and logs. The primary store
 * (memory, PGlite or PostgreSQL) holds the truth; with REDIS_URL a mirror keeps the running set and
 * a hot log tail in Redis. Each capability has one contract suite in test/contract.
 */

/** A worker's report. A null field keeps what is stored; `info` replaces the stored object. */
export interface RunningUpdate {
  containerId: string | null;
  host: string | null;
  info: JsonObject | null;
  at: Date;
}

export interface RunningStore {
  /**
   * Creates or refreshes the record of a RUNNING evaluation, atomically with that status check:
   * returns null and writes nothing when the evaluation is missing or not RUNNING.
   */
  upsert(evaluationId: string, update: RunningUpdate): Promise<RunningRecord | null>;
  getMany(evaluationIds: readonly string[]): Promise<Map<string, RunningRecord>>;
  /** Forgets the record of an evaluation that finished. */
  remove(evaluationId: string): Promise<void>;
}

export interface NewLogLine {
  timestamp: Date;
  stream: string;
  text: string;
}

export interface LogStore {
  /**
   * Stores `lines` (at least one) with the evaluation's next sequence numbers, in one atomic step:
   * concurrent appenders never share or skip a number, and one call's lines are consecutive.
   * Returns the stored lines and the evaluation's status at that moment; null when it does not exist.
   */
  append(evaluationId: string, lines: readonly NewLogLine[]): Promise<{ lines: LogLineRecord[]; status: EvaluationStatus } | null>;
  /** The same query for each evaluation, in one round trip; unknown ids get no lines and lastSeq 0. */
  read(evaluationIds: readonly string[], query: LogQuery): Promise<Map<string, LogSlice>>;
}

/**
 * The Redis side, shaped so that callers never need to know whether Redis is there or up: every
 * method absorbs Redis failures (logging them), and a read that Redis cannot answer completely
 * returns null, which sends the caller to the primary store. Without REDIS_URL every write is a
 * no-op and every read returns null.
 */
export interface RunningMirror {
  readonly enabled: boolean;
  /** An evaluation went RUNNING: it joins the set (with an implied record until a worker reports). */
  started(evaluation: EvaluationRecord): Promise<void>;
  /** An evaluation finished: it leaves the set, and its record and log tail are deleted. */
  finished(evaluationId: string): Promise<void>;
  /** Mirrors a record markRunning just wrote to the primary. */
  putRecord(record: RunningRecord): Promise<void>;
  /** Every running record in one Redis round trip, or null when the set is not known to be complete. */
  list(): Promise<RunningRecord[] | null>;
  /** Drops entries a reader found stale (their evaluation is no longer RUNNING), in the background. */
  prune(evaluationIds: readonly string[]): void;
  /** Adds lines of a RUNNING evaluation to its tail, keeping the newest LOG_TAIL_LINES. */
  pushLines(evaluationId: string, lines: readonly LogLineRecord[]): Promise<void>;
  /** The query answered from the tail, or null when the tail does not cover all of it. */
  readTail(evaluationId: string, query: LogQuery): Promise<LogSlice | null>;
  /** Refills the running set from the primary store: at start, after a reconnect, or when found lost. */
  rebuild(): Promise<void>;
}

/** What the registry exposes as `running`. */
export interface RunningBackends {
  store: RunningStore;
  logs: LogStore;
  mirror: RunningMirror;
  /** The one place where committed changes reach the mirror (status, lines, reports); see after-commit.ts. */
  afterCommit: AfterCommit;
  /**
   * The same log query for several evaluations: from their Redis tails where those cover it (only
   * when `hot`, i.e. the evaluations are RUNNING: a finished one may have a stale tail), the rest
   * from the primary store in one statement.
   */
  readLogs(evaluationIds: readonly string[], query: LogQuery, hot: boolean): Promise<Map<string, LogSlice>>;
}
