import { resolve, sep } from 'node:path';
import { EVALUATION_STATUSES, type EvaluationRecord, type EvaluationStatus, type JsonObject } from '../domain/evaluation.ts';
import { checkId } from '../domain/ids.ts';
import { checkJsonObject, checkOutputText, checkString, isJsonObject } from '../domain/validate.ts';
import type { Limits } from '../config.ts';

/** A text to import: bytes from the record, or a file of the export (streamed, checked against its sha256). */
export type ImportText = { data: Buffer } | { path: string; sha256: string | null };

/** An evaluation as an export or seed 001's old layout holds it: the stored record's fields, texts to import, and its timeline. */
export type ImportRecord = Omit<EvaluationRecord, 'codeHash' | 'updatedAt' | 'output' | 'error' | 'storedIn'> & {
  output: ImportText | null;
  error: ImportText | null;
  events: { type: string; timestamp: Date; message: string | null; metadata: JsonObject }[];
  metrics: { name: string; value: number; unit: string | null; step: number | null; timestamp: Date }[];
};

// Seed 001's old statuses are lower-case, and some old writers used "success"/"error".
const STATUS_ALIASES: Record<string, EvaluationStatus> = { SUCCESS: 'COMPLETED', ERROR: 'FAILED', CANCELED: 'CANCELLED', TIMED_OUT: 'TIMEOUT' };

export class RecordError extends Error {}

const fail = (message: string): never => {
  throw new RecordError(message);
};

function date(field: string, v: unknown, required: true): Date;
function date(field: string, v: unknown, required?: false): Date | null;
function date(field: string, v: unknown, required = false): Date | null {
  if (v == null || v === '') return required ? fail(`${field} is missing`) : null;
  const d = typeof v === 'string' || typeof v === 'number' ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d : fail(`${field} is not a date: ${JSON.stringify(v).slice(0, 40)}`);
}

const num = (field: string, v: unknown): number | null => (v == null ? null : typeof v === 'number' && Number.isFinite(v) ? v : fail(`${field} is not a number`));
const str = (field: string, v: unknown, limits: Limits): string | null => (v == null ? null : typeof v === 'string' ? checkString(field, v, limits.maxStringBytes) : fail(`${field} is not a string`));

function status(v: unknown): EvaluationStatus {
  const s = typeof v === 'string' ? v.toUpperCase() : '';
  if ((EVALUATION_STATUSES as readonly string[]).includes(s)) return s as EvaluationStatus;
  return STATUS_ALIASES[s] ?? fail(`status ${JSON.stringify(v)} is not one of ${EVALUATION_STATUSES.join(', ')}`);
}

function text(field: string, v: unknown, dir: string, limits: Limits): ImportText | null {
  if (v == null) return null;
  if (typeof v === 'string') return { data: checkOutputText(field, v, limits.maxTextBytes) };
  if (isJsonObject(v) && typeof v['text'] === 'string') return { data: checkOutputText(field, v['text'], limits.maxTextBytes) };
  if (isJsonObject(v) && typeof v['file'] === 'string') {
    const path = resolve(dir, v['file']);
    if (!path.startsWith(resolve(dir) + sep)) fail(`${field}.file ${JSON.stringify(v['file'])} is outside the import directory`);
    return { path, sha256: typeof v['sha256'] === 'string' ? v['sha256'] : null };
  }
  return fail(`${field} must be a string, {"text": ...} or {"file": ...}`);
}

/** One record of evaluations.jsonl (camelCase) or of seed 001's old layout (snake_case): the same fields. */
export function parseRecord(raw: unknown, dir: string, limits: Limits, fallbackId?: string): ImportRecord {
  if (!isJsonObject(raw)) fail('the record is not a JSON object');
  const r = raw as Record<string, unknown>;
  const pick = (...names: string[]) => names.map((n) => r[n]).find((v) => v !== undefined);
  const id = checkId('id', String(pick('id', 'eval_id', 'evaluation_id') ?? fallbackId ?? fail('id is missing')));
  const code = pick('code');
  if (typeof code !== 'string') fail('code is missing or not a string');
  const metadata = pick('metadata');
  const list = (field: string, v: unknown) => (v == null ? [] : Array.isArray(v) ? v : fail(`${field} is not a list`));
  return {
    id,
    code: checkString('code', code as string, limits.maxCodeBytes),
    language: str('language', pick('language'), limits) ?? 'python',
    status: status(pick('status')),
    createdAt: date('createdAt', pick('createdAt', 'created_at', 'timestamp'), true),
    startedAt: date('startedAt', pick('startedAt', 'started_at')),
    completedAt: date('completedAt', pick('completedAt', 'completed_at')),
    runtimeMs: num('runtimeMs', pick('runtimeMs', 'runtime_ms')),
    metadata: metadata == null ? {} : checkJsonObject('metadata', metadata, limits.maxMetadataBytes),
    retries: num('retries', pick('retries')) ?? 0,
    celeryTaskId: str('celeryTaskId', pick('celeryTaskId', 'celery_task_id'), limits),
    taskId: str('taskId', pick('taskId', 'task_id'), limits),
    deletedAt: date('deletedAt', pick('deletedAt', 'deleted_at')),
    output: text('output', pick('output'), dir, limits),
    error: text('error', pick('error'), dir, limits),
    events: list('events', pick('events')).map((e: Record<string, unknown>, i: number) => ({
      type: str(`events[${i}].type`, e['type'] ?? e['event_type'], limits) ?? fail(`events[${i}].type is missing`),
      timestamp: date(`events[${i}].timestamp`, e['timestamp'], true),
      message: str(`events[${i}].message`, e['message'], limits),
      metadata: e['metadata'] == null ? {} : checkJsonObject(`events[${i}].metadata`, e['metadata'], limits.maxMetadataBytes),
    })),
    metrics: list('metrics', pick('metrics')).map((m: Record<string, unknown>, i: number) => ({
      name: str(`metrics[${i}].name`, m['name'] ?? m['metric_name'], limits) ?? fail(`metrics[${i}].name is missing`),
      value: num(`metrics[${i}].value`, m['value'] ?? m['metric_value']) ?? fail(`metrics[${i}].value is missing`),
      unit: str(`metrics[${i}].unit`, m['unit'], limits),
      step: num(`metrics[${i}].step`, m['step']),
      timestamp: date(`metrics[${i}].timestamp`, m['timestamp'], true),
    })),
  };
}
