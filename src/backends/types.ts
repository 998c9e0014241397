import type {
  EvaluationRecord,
  EvaluationStatus,
  EventRecord,
  JsonObject,
  MetricRecord,
  StoredTextRecord,
} from '../domain/evaluation.ts';

/**
 * Capability interfaces. Resolvers and services depend on these only; the registry picks the
 * implementation from configuration. Each capability has one contract suite in test/contract.
 */

export type OrderField = 'CREATED_AT' | 'COMPLETED_AT' | 'RUNTIME_MS';
export type OrderDirection = 'ASC' | 'DESC';

export interface EvaluationFilter {
  status?: readonly EvaluationStatus[];
  language?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  metadataContains?: JsonObject;
  codeHash?: string;
  taskId?: string;
  includeDeleted: boolean;
}

/**
 * One keyset page, always read forwards: backwards paging is the service's job (it flips the
 * direction and the null placement, then reverses the page). Rows with a null sort value come
 * after all others when `nullsFirst` is false.
 */
export interface ListQuery {
  filter: EvaluationFilter;
  field: OrderField;
  direction: OrderDirection;
  nullsFirst: boolean;
  /** Start strictly after this position: the sort value (ISO date string or number) and the id. */
  after?: { value: string | number | null; id: string };
  limit: number;
}

export interface NewEvaluation {
  id: string;
  code: string;
  codeHash: string;
  language: string;
  status: EvaluationStatus;
  metadata: JsonObject;
  taskId: string | null;
  createdAt: Date;
}

export interface NewEvent {
  type: string;
  message: string | null;
  metadata: JsonObject;
  timestamp?: Date;
}

/** Fields an update sets; absent fields are left alone. `metadataMerge` is merged shallowly. */
export interface EvaluationPatch {
  status?: EvaluationStatus;
  startedAt?: Date | null;
  completedAt?: Date | null;
  runtimeMs?: number | null;
  metadataMerge?: JsonObject;
  retries?: number;
  celeryTaskId?: string | null;
  deletedAt?: Date | null;
  output?: StoredTextRecord;
  error?: StoredTextRecord;
}

export interface NewMetric {
  name: string;
  value: number;
  unit: string | null;
  step: number | null;
  timestamp: Date;
}

export interface EventQuery {
  types?: readonly string[];
  /** Only events with an id greater than this (ids grow with insertion order). */
  afterId?: string;
  /** At most this many events per evaluation. */
  limit: number;
}

export interface MetricQuery {
  names?: readonly string[];
  from?: Date;
  to?: Date;
  /** Only the newest `last` points of each metric name. */
  last?: number;
}

export interface StatisticsRecord {
  total: number;
  byStatus: { status: EvaluationStatus; count: number }[];
  byLanguage: { language: string; count: number }[];
  runtimeMs: { avg: number | null; p50: number | null; p95: number | null; max: number | null };
}

export interface BackendStatus {
  name: string;
  kind: string;
  role: string;
  healthy: boolean;
  latencyMs: number | null;
  metrics: Record<string, unknown>;
  error?: string;
  /** A backend the gateway cannot serve without (the primary store); any other unhealthy one only degrades it. @default false */
  required?: boolean;
}

export interface EvaluationStore {
  readonly kind: string;
  /** Inserts unless the id exists; either way returns the stored row and whether it was new. */
  insert(evaluation: NewEvaluation, event: NewEvent): Promise<{ created: boolean; evaluation: EvaluationRecord }>;
  getMany(ids: readonly string[]): Promise<Map<string, EvaluationRecord>>;
  list(query: ListQuery): Promise<EvaluationRecord[]>;
  count(filter: EvaluationFilter): Promise<number>;
  /**
   * Applies the patch and appends the events in one transaction, only if the evaluation's status is
   * still `expectedStatus` (compare-and-set). Returns null when it is not (or the row is gone).
   */
  update(id: string, expectedStatus: EvaluationStatus, patch: EvaluationPatch, events: readonly NewEvent[]): Promise<EvaluationRecord | null>;
  /**
   * Drops any cached copy of these evaluations (the Redis evaluation cache), for rows changed or
   * deleted outside this store (strata cleanup). Absent when nothing is cached.
   */
  forget?(ids: readonly string[]): Promise<void>;
  /** Returns null when the evaluation does not exist. */
  addEvent(evaluationId: string, event: NewEvent): Promise<EventRecord | null>;
  listEvents(evaluationIds: readonly string[], query: EventQuery): Promise<Map<string, EventRecord[]>>;
  countEvents(evaluationIds: readonly string[], types?: readonly string[]): Promise<Map<string, number>>;
  /** Stores all points at once; returns null when the evaluation does not exist. */
  insertMetrics(evaluationId: string, points: readonly NewMetric[]): Promise<number | null>;
  listMetrics(evaluationIds: readonly string[], query: MetricQuery): Promise<Map<string, MetricRecord[]>>;
  statistics(range: { from?: Date; to?: Date }): Promise<StatisticsRecord>;
  /** Evaluations of each task id (not deleted), oldest first, at most `limitPerTask` each: one query per DataLoader batch. */
  listByTask(taskIds: readonly string[], limitPerTask: number): Promise<Map<string, EvaluationRecord[]>>;
  status(): Promise<BackendStatus>;
  close(): Promise<void>;
}
