import type { Config } from '../config.ts';
import { ErrorCode } from '../errors.ts';
import { RestRequestError } from './errors.ts';
import * as shape from './shapes.ts';

type Json = Record<string, any>;
type Schema = Json;

/** A field of a JSON body: its seed (snake_case) name, the GraphQL input field it becomes, its schema. */
export interface BodyField {
  name: string;
  to: string;
  schema: Schema;
  required?: boolean;
  /** Seed spellings turned into GraphQL's (lower-case statuses). */
  convert?: (value: unknown) => unknown;
}

export interface QueryParam {
  name: string;
  schema: Schema;
  description: string;
}

/** What a route's functions see: validated path parameters, the query string, the body's object. */
export interface RouteInput {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Json;
  config: Config;
}

/**
 * Runs a named operation for a route's preparation and returns its data; an error whose code is
 * in `tolerate` gives null (the route goes on), any other answers for the route.
 */
export type RunStep = (name: string, variables: Json, tolerate?: readonly string[]) => Promise<Json | null>;

export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** OpenAPI path template; `{name}` segments are path parameters (ids are checked like GraphQL ids). */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  query?: QueryParam[];
  body?: BodyField[];
  /** Status and schema of a success. */
  response: { status: number; description: string; schema: Schema };
  /** Error statuses this route may answer, besides 400/401/403/422/429/500/503 that any may. */
  errors?: number[];
  /**
   * The named operation in operations.graphql it runs, with its variables and the mapping of its
   * data; or `servedBy`: answered by another part of the gateway (listed for /openapi.yaml only).
   */
  operation?: {
    name: string;
    variables(input: RouteInput): Json;
    respond(data: Json, input: RouteInput): { body: unknown; headers?: Record<string, string> };
    /** Steps before the operation, each a named operation; the first that fails answers for the route. */
    prepare?(input: RouteInput, run: RunStep): Promise<void>;
  };
  servedBy?: string;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const upper = (value: unknown) => (typeof value === 'string' ? value.toUpperCase() : value);
const STATUS_VALUES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'timeout'];
const statusSchema = { type: 'string', enum: STATUS_VALUES, description: 'Lower case as in seed 004 (upper case is accepted too).' };

/** An integer query parameter as a number; anything else goes on as text for GraphQL to refuse with its own message. */
function int(query: URLSearchParams, name: string): unknown {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  return /^-?\d{1,15}$/.test(raw) ? Number(raw) : raw;
}

function bool(query: URLSearchParams, name: string): unknown {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  return { true: true, '1': true, false: false, '0': false }[raw.toLowerCase()] ?? raw;
}

const text = (query: URLSearchParams, name: string) => query.get(name) || undefined;
const list = (query: URLSearchParams, name: string) => query.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

/** Texts in a single evaluation: everything up to the blob threshold, bounded by MAX_TEXT_SLICE. */
const textChars = (config: Config) => Math.min(config.blobs.largeFileThreshold, config.limits.maxTextSlice);

/** The GraphQL input of a body: each seed field renamed, unknown fields refused (nothing is dropped silently). */
export function inputOf(fields: readonly BodyField[], body: Json): Json {
  const known = new Map(fields.map((f) => [f.name, f]));
  const unknown = Object.keys(body).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new RestRequestError(`Unknown field(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}; this route takes ${fields.map((f) => f.name).join(', ')}.`, 422);
  }
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [known.get(k)!.to, known.get(k)!.convert ? known.get(k)!.convert!(v) : v]));
}

function notFound(what: string): never {
  throw new RestRequestError(what, 404, ErrorCode.NotFound);
}

const CREATE_FIELDS: BodyField[] = [
  { name: 'id', to: 'id', schema: { type: 'string', description: 'Your id; generated (eval_YYYYMMDD_HHMMSS_<random>) when omitted. The same id with the same code and language returns the existing evaluation; with other content it is 409.' } },
  { name: 'code', to: 'code', schema: { type: 'string' }, required: true },
  { name: 'language', to: 'language', schema: { type: 'string', default: 'python' } },
  { name: 'status', to: 'status', schema: statusSchema, convert: upper },
  { name: 'metadata', to: 'metadata', schema: { type: 'object', additionalProperties: true } },
  { name: 'task_id', to: 'taskId', schema: { type: 'string', description: 'A task vertex of the task/result graph.' } },
];

const UPDATE_FIELDS: BodyField[] = [
  { name: 'status', to: 'status', schema: statusSchema, convert: upper },
  { name: 'output', to: 'output', schema: { type: 'string' } },
  { name: 'error', to: 'error', schema: { type: 'string' } },
  { name: 'runtime_ms', to: 'runtimeMs', schema: { type: 'integer' } },
  { name: 'metadata', to: 'metadata', schema: { type: 'object', additionalProperties: true, description: 'Merged into the stored metadata (top-level keys).' } },
  { name: 'retries', to: 'retries', schema: { type: 'integer' } },
];

const CELERY_FIELDS: BodyField[] = [
  { name: 'celery_task_id', to: 'celeryTaskId', schema: { type: 'string' }, required: true },
  { name: 'task_state', to: 'taskState', schema: { type: 'string', description: 'PENDING/RECEIVED -> queued, STARTED/RETRY -> running, SUCCESS -> completed, FAILURE -> failed, REVOKED -> cancelled.' }, required: true },
  { name: 'retries', to: 'retries', schema: { type: 'integer' } },
  { name: 'output', to: 'output', schema: { type: 'string' } },
  { name: 'error', to: 'error', schema: { type: 'string' } },
];

const EVENT_FIELDS: BodyField[] = [
  { name: 'type', to: 'type', schema: { type: 'string' }, required: true },
  { name: 'message', to: 'message', schema: { type: 'string' } },
  { name: 'metadata', to: 'metadata', schema: { type: 'object', additionalProperties: true } },
];

const LOG_LINE = { oneOf: [{ type: 'string' }, { type: 'object', required: ['text'], properties: { text: { type: 'string' }, stream: { type: 'string', default: 'stdout' }, timestamp: { type: 'string', format: 'date-time' } }, additionalProperties: false }] };
const LOG_FIELDS: BodyField[] = [
  { name: 'lines', to: 'lines', schema: { type: 'array', items: LOG_LINE, description: 'Lines to append, in order (strings or {text, stream, timestamp}).' } },
  { name: 'content', to: 'content', schema: { type: 'string', description: 'Text to append, split into lines at "\\n" (the seed service\'s field); instead of `lines`.' } },
  { name: 'stream', to: 'stream', schema: { type: 'string', default: 'stdout', description: 'Stream of the `content` lines.' } },
  { name: 'append', to: 'append', schema: { type: 'boolean', enum: [true], description: 'Logs are append-only: false is refused.' } },
];

/** Log lines from either body form; a line that is neither a string nor an object goes on for GraphQL to refuse. */
function logLines(input: Json): unknown[] {
  if (input['append'] === false) throw new RestRequestError('Logs are append-only: "append": false is not supported (send the lines to add).', 422);
  if (input['lines'] !== undefined && input['content'] !== undefined) throw new RestRequestError('Send "lines" or "content", not both.', 422);
  const stream = input['stream'];
  if (typeof input['content'] === 'string') return input['content'].replace(/\r?\n$/, '').split(/\r?\n/).map((t) => ({ text: t, ...(stream !== undefined ? { stream } : {}) }));
  if (input['content'] !== undefined) return [{ text: input['content'] }];
  if (!Array.isArray(input['lines'])) {
    if (input['lines'] === undefined) throw new RestRequestError('Send "lines" (an array) or "content" (a string).', 422);
    return input['lines'];
  }
  return input['lines'].map((l) => (typeof l === 'string' ? { text: l } : l));
}

function evaluationOf(data: Json, field: string, id: string): Json {
  return data[field] ?? notFound(`Evaluation "${id}" does not exist.`);
}

const ORDER_FIELDS: Record<string, string> = { created_at: 'CREATED_AT', completed_at: 'COMPLETED_AT', runtime_ms: 'RUNTIME_MS' };

function listVariables({ query, config }: RouteInput): Json {
  const offset = int(query, 'offset');
  if (offset !== undefined && offset !== 0) {
    throw new RestRequestError('Paging is by cursor: pass the next_cursor of the previous page as ?cursor=... (offset other than 0 is not supported).', 422);
  }
  const order = text(query, 'order_by');
  const filter: Json = {
    status: list(query, 'status').map(upper),
    language: text(query, 'language'),
    createdAfter: text(query, 'since'),
    createdBefore: text(query, 'until'),
    taskId: text(query, 'task_id'),
    codeHash: text(query, 'code_hash'),
    includeDeleted: bool(query, 'include_deleted'),
  };
  if ((filter['status'] as unknown[]).length === 0) delete filter['status'];
  return {
    first: int(query, 'limit') ?? config.limits.defaultPageSize,
    after: text(query, 'cursor'),
    filter,
    orderBy: order ? { field: ORDER_FIELDS[order] ?? order, direction: (text(query, 'order') ?? 'desc').toUpperCase() } : undefined,
  };
}

const ID = (input: RouteInput) => input.params['id']!;

const FINISHED_BY_WORKER = new Set(['COMPLETED', 'FAILED', 'TIMEOUT']);

/**
 * Seed 004's "Update Evaluation with Output" sets `completed` on a QUEUED evaluation: the seed
 * service took any change. Strata's rules go QUEUED -> RUNNING -> COMPLETED, so before a finishing
 * status this route reports the evaluation running (markRunning: QUEUED starts it, as
 * applyTaskUpdate does for a Celery task that finished unseen; RUNNING is a heartbeat). A finished
 * or unknown evaluation is left to the update, which answers as it would anyway. A mutation, not a
 * status read, so a write-only key can do it. Every other transition stays as strict as in GraphQL.
 */
async function startIfFinishing(input: RouteInput, run: RunStep): Promise<void> {
  const target = upper(input.body['status']);
  if (typeof target !== 'string' || !FINISHED_BY_WORKER.has(target)) return;
  await run('RestStartEvaluation', { id: ID(input) }, [ErrorCode.InvalidTransition, ErrorCode.NotFound]);
}

/**
 * Seed 004's REST API. Each route runs one operation of operations.graphql; the order matters
 * only where literal segments and parameters overlap (/evaluations/running before /evaluations/{id}).
 */
export const ROUTES: readonly RestRoute[] = [
  {
    method: 'POST', path: '/evaluations', tag: 'evaluations', summary: 'Create an evaluation',
    body: CREATE_FIELDS,
    response: { status: 200, description: 'The evaluation (also when the same id with the same content existed).', schema: ref('Evaluation') },
    errors: [409, 413],
    operation: {
      name: 'RestCreateEvaluation',
      variables: ({ body, config }) => ({ input: inputOf(CREATE_FIELDS, body), textChars: textChars(config) }),
      respond: (data) => ({ body: shape.evaluation(data['createEvaluation']) }),
    },
  },
  {
    method: 'GET', path: '/evaluations', tag: 'evaluations', summary: 'List evaluations, newest first, a page at a time',
    query: [
      { name: 'limit', schema: { type: 'integer', minimum: 1 }, description: 'Page size (DEFAULT_PAGE_SIZE when omitted, at most MAX_PAGE_SIZE).' },
      { name: 'cursor', schema: { type: 'string' }, description: 'The next_cursor of the previous page.' },
      { name: 'offset', schema: { type: 'integer', enum: [0] }, description: 'Only 0: paging is by cursor.' },
      { name: 'status', schema: { type: 'string' }, description: 'Statuses, comma-separated (queued,running).' },
      { name: 'language', schema: { type: 'string' }, description: 'Only this language.' },
      { name: 'since', schema: { type: 'string', format: 'date-time' }, description: 'Created at or after (RFC 3339).' },
      { name: 'until', schema: { type: 'string', format: 'date-time' }, description: 'Created before (RFC 3339).' },
      { name: 'task_id', schema: { type: 'string' }, description: 'Only evaluations of this task.' },
      { name: 'code_hash', schema: { type: 'string' }, description: 'Only evaluations of this code (sha256 hex).' },
      { name: 'include_deleted', schema: { type: 'boolean' }, description: 'Also soft-deleted evaluations.' },
      { name: 'order_by', schema: { type: 'string', enum: Object.keys(ORDER_FIELDS) }, description: 'Sort field (created_at when omitted).' },
      { name: 'order', schema: { type: 'string', enum: ['asc', 'desc'] }, description: 'Sort direction (desc when omitted).' },
    ],
    response: { status: 200, description: 'One page; texts are previews.', schema: ref('EvaluationList') },
    operation: {
      name: 'RestListEvaluations',
      variables: listVariables,
      respond: (data, { query, config }) => {
        const page = data['evaluations'];
        return {
          body: {
            evaluations: page.edges.map((e: Json) => shape.evaluation(e['node'])),
            total: page.totalCount,
            limit: int(query, 'limit') ?? config.limits.defaultPageSize,
            offset: 0,
            has_more: page.pageInfo.hasNextPage,
            next_cursor: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null,
          },
        };
      },
    },
  },
  {
    method: 'GET', path: '/evaluations/running', tag: 'running', summary: 'List every running evaluation, oldest start first',
    response: { status: 200, description: 'The running evaluations and where they run.', schema: ref('RunningList') },
    operation: {
      name: 'RestRunningEvaluations',
      variables: () => ({}),
      respond: (data) => {
        const list = (data['runningEvaluations'] as Json[]).map((e) => ({
          eval_id: e['id'],
          status: shape.lower(e['status']),
          language: e['language'],
          created_at: e['createdAt'],
          metadata: e['metadata'],
          ...(e['running'] ? shape.running(e['running']) : { container_id: null, host: null, started_at: e['startedAt'], heartbeat_at: null, info: {} }),
        }));
        return { body: { running_evaluations: list, count: list.length } };
      },
    },
  },
  {
    method: 'GET', path: '/evaluations/{id}', tag: 'evaluations', summary: 'Get an evaluation',
    query: [{ name: 'include_storage_info', schema: { type: 'boolean', default: false }, description: 'Add `_storage_info` (where output and error are stored, their sizes).' }],
    response: { status: 200, description: 'The evaluation; output and error up to LARGE_FILE_THRESHOLD characters (all of them at output_url).', schema: ref('Evaluation') },
    errors: [404],
    operation: {
      name: 'RestGetEvaluation',
      variables: (input) => ({ id: ID(input), textChars: textChars(input.config) }),
      respond: (data, input) => ({ body: shape.evaluation(evaluationOf(data, 'evaluation', ID(input)), { storageInfo: bool(input.query, 'include_storage_info') === true }) }),
    },
  },
  {
    method: 'PUT', path: '/evaluations/{id}', tag: 'evaluations', summary: 'Update an evaluation (status, output, error, runtime, metadata)',
    body: UPDATE_FIELDS,
    response: { status: 200, description: 'The evaluation after the update.', schema: ref('Evaluation') },
    errors: [404, 409, 413],
    operation: {
      name: 'RestUpdateEvaluation',
      variables: (input) => ({ id: ID(input), input: inputOf(UPDATE_FIELDS, input.body), textChars: textChars(input.config) }),
      respond: (data) => ({ body: shape.evaluation(data['updateEvaluation']) }),
      prepare: startIfFinishing,
    },
  },
  {
    method: 'DELETE', path: '/evaluations/{id}', tag: 'evaluations', summary: 'Soft-delete an evaluation (restorable; still readable by id)',
    response: { status: 200, description: 'Deleted.', schema: ref('Deleted') },
    errors: [404],
    operation: {
      name: 'RestDeleteEvaluation',
      variables: (input) => ({ id: ID(input) }),
      respond: (data) => ({ body: { message: 'Evaluation deleted successfully', id: data['deleteEvaluation'].id, deleted_at: data['deleteEvaluation'].deletedAt } }),
    },
  },
  {
    method: 'GET', path: '/evaluations/{id}/running', tag: 'running', summary: 'Where a running evaluation runs',
    response: { status: 200, description: 'The container info its worker reported.', schema: ref('Running') },
    errors: [404],
    operation: {
      name: 'RestRunningOf',
      variables: (input) => ({ id: ID(input) }),
      respond: (data, input) => {
        const e = evaluationOf(data, 'evaluation', ID(input));
        if (!e['running']) notFound(`Evaluation "${e['id']}" is not running (it is ${shape.lower(e['status'])}).`);
        return { body: { eval_id: e['id'], ...shape.running(e['running']) } };
      },
    },
  },
  {
    method: 'POST', path: '/evaluations/{id}/logs', tag: 'logs', summary: 'Append log lines',
    body: LOG_FIELDS,
    response: { status: 200, description: 'The lines as stored, numbered, and the seq to read on from.', schema: ref('LogChunk') },
    errors: [404, 413],
    operation: {
      name: 'RestAppendLogs',
      variables: (input) => ({ id: ID(input), lines: logLines(inputOf(LOG_FIELDS, input.body)) }),
      respond: (data, input) => ({ body: { eval_id: ID(input), next_seq: data['appendLogs'].nextSeq, lines: data['appendLogs'].lines.map(shape.logLine) } }),
    },
  },
  {
    method: 'GET', path: '/evaluations/{id}/logs', tag: 'logs', summary: 'Read log lines (served from the Redis tail while running)',
    query: [
      { name: 'after_seq', schema: { type: 'integer', minimum: 0 }, description: 'Lines with seq greater than this (0 when omitted).' },
      { name: 'tail', schema: { type: 'integer', minimum: 0 }, description: 'Only the newest this many.' },
    ],
    response: { status: 200, description: 'Lines oldest first, at most MAX_LOG_READ; read on with after_seq = next_seq - 1.', schema: ref('Logs') },
    errors: [404],
    operation: {
      name: 'RestLogs',
      variables: (input) => ({ id: ID(input), afterSeq: int(input.query, 'after_seq'), tail: int(input.query, 'tail') }),
      respond: (data, input) => {
        const e = evaluationOf(data, 'evaluation', ID(input));
        return { body: { eval_id: e['id'], status: shape.lower(e['status']), is_running: e['status'] === 'RUNNING', next_seq: e['logs'].nextSeq, lines: e['logs'].lines.map(shape.logLine) } };
      },
    },
  },
  {
    method: 'POST', path: '/evaluations/{id}/events', tag: 'events', summary: 'Add an event to the timeline',
    body: EVENT_FIELDS,
    response: { status: 200, description: 'The stored event.', schema: ref('Event') },
    errors: [404],
    operation: {
      name: 'RestAddEvent',
      variables: (input) => ({ evaluationId: ID(input), ...inputOf(EVENT_FIELDS, input.body) }),
      respond: (data) => ({ body: shape.event(data['addEvent']) }),
    },
  },
  {
    method: 'GET', path: '/evaluations/{id}/events', tag: 'events', summary: 'The event timeline, oldest first',
    description: 'A JSON array, as the seed service answered. When more events follow, the `X-Next-Cursor` header holds the cursor to pass on; `X-Total-Count` counts them all.',
    query: [
      { name: 'limit', schema: { type: 'integer', minimum: 1 }, description: 'Events per page (MAX_PAGE_SIZE when omitted).' },
      { name: 'cursor', schema: { type: 'string' }, description: 'The X-Next-Cursor of the previous page.' },
      { name: 'types', schema: { type: 'string' }, description: 'Only these event types, comma-separated.' },
    ],
    response: { status: 200, description: 'Events.', schema: { type: 'array', items: ref('Event') } },
    errors: [404],
    operation: {
      name: 'RestEvents',
      variables: (input) => {
        const types = list(input.query, 'types');
        return { id: ID(input), first: int(input.query, 'limit') ?? input.config.limits.maxPageSize, after: text(input.query, 'cursor'), types: types.length ? types : undefined };
      },
      respond: (data, input) => {
        const events = evaluationOf(data, 'evaluation', ID(input))['events'];
        const headers: Record<string, string> = { 'x-total-count': String(events.totalCount) };
        if (events.pageInfo.hasNextPage) headers['x-next-cursor'] = events.pageInfo.endCursor;
        return { body: events.edges.map((e: Json) => shape.event(e['node'])), headers };
      },
    },
  },
  {
    method: 'POST', path: '/evaluations/{id}/celery-update', tag: 'celery', summary: 'Apply a Celery task update',
    body: CELERY_FIELDS,
    response: { status: 200, description: 'The evaluation after the update.', schema: ref('Evaluation') },
    errors: [404, 409, 413],
    operation: {
      name: 'RestCeleryUpdate',
      variables: (input) => ({ evaluationId: ID(input), input: inputOf(CELERY_FIELDS, input.body), textChars: textChars(input.config) }),
      respond: (data) => ({ body: shape.evaluation(data['applyTaskUpdate']) }),
    },
  },
  {
    method: 'GET', path: '/evaluations/{id}/complete', tag: 'evaluations', summary: 'An evaluation with its events, metrics, recent logs and where its texts are stored',
    response: { status: 200, description: 'Everything about the evaluation.', schema: ref('CompleteEvaluation') },
    errors: [404],
    operation: {
      name: 'RestCompleteEvaluation',
      variables: (input) => ({ id: ID(input), textChars: textChars(input.config), events: input.config.limits.maxPageSize }),
      respond: (data, input) => {
        const e = evaluationOf(data, 'evaluation', ID(input));
        const events = e['events'].edges.map((edge: Json) => shape.event(edge['node']));
        const info = shape.storageInfo(e);
        return {
          body: {
            evaluation: shape.evaluation(e),
            events,
            total_events: e['events'].totalCount,
            metrics: e['metrics'].map(shape.metric),
            logs: { next_seq: e['logs'].nextSeq, lines: e['logs'].lines.map(shape.logLine) },
            running: e['running'] ? shape.running(e['running']) : null,
            storage_locations: { metadata: 'database', events: 'database', output: info['output_location'], error: info['error_location'] },
            timeline: events.map((ev: Json) => ({ timestamp: ev['timestamp'], event: ev['type'], details: ev['message'] })),
            metadata: { total_events: e['events'].totalCount, execution_time_ms: e['runtimeMs'], output_size: info['output_size'], error_size: info['error_size'] },
          },
        };
      },
    },
  },
  {
    method: 'GET', path: '/storage-info', tag: 'storage', summary: 'Storage configuration: backends and size thresholds (admin)',
    response: { status: 200, description: 'Which backend does what, and the thresholds.', schema: ref('StorageInfo') },
    operation: {
      name: 'RestStorage',
      variables: () => ({}),
      respond: (data, { config }) => {
        const backends = data['storage'].backends as Json[];
        const byRole = (role: string) => backends.find((b) => b['role'] === role);
        return {
          body: {
            primary_backend: byRole('primary')?.['name'] ?? null,
            fallback_backend: byRole('fallback')?.['name'] ?? null,
            cache_enabled: Boolean(byRole('cache')),
            large_output_storage: byRole('blobs')?.['name'] ?? null,
            storage_thresholds: { inline_threshold: config.blobs.inlineThreshold, large_file_threshold: config.blobs.largeFileThreshold, preview_size: config.limits.previewSize },
            backends_available: [...new Set(backends.map(shape.backendKey))],
          },
        };
      },
    },
  },
  {
    method: 'GET', path: '/storage/overview', tag: 'storage', summary: 'Health, latency and sizes of every backend (admin)',
    response: { status: 200, description: 'Backends keyed as seed 004 names them (database, file, ...), and the fallback journal depth.', schema: ref('StorageOverview') },
    operation: { name: 'RestStorage', variables: () => ({}), respond: (data) => ({ body: shape.storageOverview(data['storage']) }) },
  },
  {
    method: 'GET', path: '/storage/{backend}/details', tag: 'storage', summary: 'One backend in detail (admin)',
    response: { status: 200, description: 'The backend.', schema: ref('Backend') },
    errors: [404],
    operation: {
      name: 'RestStorage',
      variables: () => ({}),
      respond: (data, { params }) => {
        const backends = data['storage'].backends as Json[];
        const wanted = params['backend']!;
        const found = backends.find((b) => shape.backendKey(b) === wanted) ?? backends.find((b) => b['role'] === wanted);
        if (!found) notFound(`Backend "${wanted}" is not configured; known: ${[...new Set(backends.map(shape.backendKey))].join(', ')}.`);
        return { body: { backend: shape.backendKey(found), ...shape.backend(found) } };
      },
    },
  },
  {
    method: 'GET', path: '/statistics', tag: 'statistics', summary: 'Counts by status and language, runtime summary',
    query: [
      { name: 'since', schema: { type: 'string', format: 'date-time' }, description: 'Only evaluations created at or after (RFC 3339).' },
      { name: 'until', schema: { type: 'string', format: 'date-time' }, description: 'Only evaluations created before (RFC 3339).' },
    ],
    response: { status: 200, description: 'Aggregates over evaluations that are not deleted.', schema: ref('Statistics') },
    operation: {
      name: 'RestStatistics',
      variables: ({ query }) => ({ from: text(query, 'since'), to: text(query, 'until') }),
      respond: (data) => ({ body: shape.statistics(data['statistics']) }),
    },
  },
  {
    method: 'GET', path: '/health', tag: 'operations', summary: 'Liveness: 200 while the process serves requests (no key needed)',
    response: { status: 200, description: 'Alive (an empty body; GET /ready says whether the backends answer).', schema: {} },
    servedBy: "graphql-yoga's health check",
  },
  {
    method: 'GET', path: '/evaluations/{id}/output', tag: 'texts', summary: 'Stream the full output (Range and gzip supported)',
    response: { status: 200, description: 'The text.', schema: { type: 'string' } },
    errors: [404, 416],
    servedBy: 'src/plugins/use-text-downloads.ts',
  },
  {
    method: 'GET', path: '/evaluations/{id}/error', tag: 'texts', summary: 'Stream the full error text (Range and gzip supported)',
    response: { status: 200, description: 'The text.', schema: { type: 'string' } },
    errors: [404, 416],
    servedBy: 'src/plugins/use-text-downloads.ts',
  },
  {
    method: 'GET', path: '/openapi.yaml', tag: 'operations', summary: 'This document',
    response: { status: 200, description: 'OpenAPI 3.0 in YAML.', schema: { type: 'string' } },
    servedBy: 'src/plugins/use-rest-routes.ts',
  },
];
