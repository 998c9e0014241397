import type {
  BlobRef,
  EvaluationRecord,
  EvaluationStatus,
  EventRecord,
  JsonObject,
  MetricRecord,
  StorageLocation,
  StoredTextRecord,
} from '../../domain/evaluation.ts';

/** Columns of an evaluation row; bigint sizes are cast so both drivers return numbers. */
export const EVALUATION_COLUMNS = `id, code, code_hash, language, status, created_at, updated_at, started_at,
  completed_at, runtime_ms, metadata, retries, celery_task_id, task_id, deleted_at,
  output_location, output_size::float8 AS output_size, output_data, output_sha256, output_blob,
  error_location, error_size::float8 AS error_size, error_data, error_sha256, error_blob`;

export const EVENT_COLUMNS = `id::text AS id, evaluation_id, type, timestamp, message, metadata`;

export interface EvaluationRow {
  id: string;
  code: string;
  code_hash: string;
  language: string;
  status: EvaluationStatus;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  runtime_ms: number | null;
  metadata: JsonObject;
  retries: number;
  celery_task_id: string | null;
  task_id: string | null;
  deleted_at: Date | null;
  output_location: StorageLocation | null;
  output_size: number | null;
  output_data: Uint8Array | null;
  output_sha256: string | null;
  output_blob: BlobRef | null;
  error_location: StorageLocation | null;
  error_size: number | null;
  error_data: Uint8Array | null;
  error_sha256: string | null;
  error_blob: BlobRef | null;
}

// pg returns Buffer for bytea, PGlite a plain Uint8Array: view both as a Buffer without copying.
function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function storedText(
  location: StorageLocation | null,
  size: number | null,
  data: Uint8Array | null,
  sha256: string | null,
  blob: BlobRef | null,
): StoredTextRecord | null {
  if (location === null || data === null) return null;
  return { location, size: size ?? data.byteLength, data: toBuffer(data), sha256, blob };
}

export function toEvaluation(r: EvaluationRow): EvaluationRecord {
  return {
    id: r.id,
    code: r.code,
    codeHash: r.code_hash,
    language: r.language,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    runtimeMs: r.runtime_ms,
    metadata: r.metadata,
    retries: r.retries,
    celeryTaskId: r.celery_task_id,
    taskId: r.task_id,
    deletedAt: r.deleted_at,
    output: storedText(r.output_location, r.output_size, r.output_data, r.output_sha256, r.output_blob),
    error: storedText(r.error_location, r.error_size, r.error_data, r.error_sha256, r.error_blob),
  };
}

export interface EventRow {
  id: string;
  evaluation_id: string;
  type: string;
  timestamp: Date;
  message: string | null;
  metadata: JsonObject;
}

export function toEvent(r: EventRow): EventRecord {
  return { id: r.id, evaluationId: r.evaluation_id, type: r.type, timestamp: r.timestamp, message: r.message, metadata: r.metadata };
}

export interface MetricRow {
  evaluation_id: string;
  name: string;
  value: number;
  unit: string | null;
  step: number | null;
  timestamp: Date;
}

export function toMetric(r: MetricRow): MetricRecord {
  return { evaluationId: r.evaluation_id, name: r.name, value: r.value, unit: r.unit, step: r.step, timestamp: r.timestamp };
}

/** Groups rows by evaluation id, keeping their order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
