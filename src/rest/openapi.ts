import { stringify } from 'yaml';
import type { Config } from '../config.ts';
import type { RestRoute } from './routes.ts';

type Json = Record<string, any>;

const nullable = (schema: Json) => ({ ...schema, nullable: true });
const str = { type: 'string' };
const time = { type: 'string', format: 'date-time' };
const obj = { type: 'object', additionalProperties: true };

/** The JSON shapes of src/rest/shapes.ts, for clients and for the test that checks answers against them. */
const SCHEMAS: Json = {
  Error: {
    type: 'object',
    required: ['detail', 'code'],
    properties: {
      detail: { type: 'string', description: 'What went wrong, for a person.' },
      code: { type: 'string', description: 'BAD_USER_INPUT, NOT_FOUND, CONFLICT, INVALID_TRANSITION, PAYLOAD_TOO_LARGE, UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED, UNAVAILABLE, METHOD_NOT_ALLOWED or INTERNAL_SERVER_ERROR.' },
      request_id: { type: 'string', description: 'With INTERNAL_SERVER_ERROR: the id under which the log has the cause.' },
      errors: { type: 'array', items: obj, description: 'The same error in GraphQL\'s shape.' },
    },
  },
  StorageInfoOfTexts: {
    type: 'object',
    properties: Object.fromEntries(['output', 'error'].flatMap((w) => [
      [`${w}_location`, nullable({ type: 'string', enum: ['inline', 'compressed', 'file', 's3'] })],
      [`${w}_size`, { type: 'number' }],
      [`${w}_truncated`, { type: 'boolean' }],
      [`${w}_sha256`, nullable(str)],
    ])),
  },
  Evaluation: {
    type: 'object',
    required: ['id', 'code', 'language', 'status', 'created_at', 'metadata'],
    properties: {
      id: str, code: str, code_hash: str, language: str,
      status: { type: 'string', enum: ['queued', 'running', 'completed', 'failed', 'cancelled', 'timeout'] },
      created_at: time, started_at: nullable(time), completed_at: nullable(time), runtime_ms: nullable({ type: 'integer' }),
      metadata: obj, retries: { type: 'integer' }, celery_task_id: nullable(str), deleted_at: nullable(time),
      stored_in: { type: 'string', enum: ['primary', 'fallback_journal'] },
      output: nullable(str), error: nullable(str),
      output_truncated: { type: 'boolean', description: 'More is stored than `output` holds: read it at output_url.' },
      error_truncated: { type: 'boolean' },
      output_url: nullable(str), error_url: nullable(str),
      _storage_info: { $ref: '#/components/schemas/StorageInfoOfTexts' },
    },
  },
  EvaluationList: {
    type: 'object',
    required: ['evaluations', 'total', 'limit', 'has_more'],
    properties: { evaluations: { type: 'array', items: { $ref: '#/components/schemas/Evaluation' } }, total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' }, has_more: { type: 'boolean' }, next_cursor: nullable(str) },
  },
  Running: {
    type: 'object',
    properties: { eval_id: str, container_id: nullable(str), host: nullable(str), started_at: time, heartbeat_at: nullable(time), info: obj },
  },
  RunningList: {
    type: 'object',
    required: ['running_evaluations', 'count'],
    properties: {
      running_evaluations: { type: 'array', items: { allOf: [{ $ref: '#/components/schemas/Running' }, { type: 'object', properties: { status: str, language: str, created_at: time, metadata: obj } }] } },
      count: { type: 'integer' },
    },
  },
  Deleted: { type: 'object', required: ['message', 'id'], properties: { message: str, id: str, deleted_at: time } },
  LogLine: { type: 'object', required: ['seq', 'timestamp', 'stream', 'text'], properties: { seq: { type: 'integer' }, timestamp: time, stream: str, text: str } },
  LogChunk: { type: 'object', required: ['eval_id', 'next_seq', 'lines'], properties: { eval_id: str, next_seq: { type: 'integer' }, lines: { type: 'array', items: { $ref: '#/components/schemas/LogLine' } } } },
  Logs: {
    type: 'object',
    required: ['eval_id', 'status', 'next_seq', 'lines'],
    properties: { eval_id: str, status: str, is_running: { type: 'boolean' }, next_seq: { type: 'integer' }, lines: { type: 'array', items: { $ref: '#/components/schemas/LogLine' } } },
  },
  Event: { type: 'object', required: ['id', 'evaluation_id', 'type', 'timestamp'], properties: { id: str, evaluation_id: str, type: str, timestamp: time, message: nullable(str), metadata: obj } },
  CompleteEvaluation: {
    type: 'object',
    properties: {
      evaluation: { $ref: '#/components/schemas/Evaluation' },
      events: { type: 'array', items: { $ref: '#/components/schemas/Event' } },
      total_events: { type: 'integer' },
      metrics: { type: 'array', items: { type: 'object', properties: { name: str, value: { type: 'number' }, unit: nullable(str), step: nullable({ type: 'integer' }), timestamp: time } } },
      logs: { type: 'object', properties: { next_seq: { type: 'integer' }, lines: { type: 'array', items: { $ref: '#/components/schemas/LogLine' } } } },
      running: { nullable: true, allOf: [{ $ref: '#/components/schemas/Running' }] },
      storage_locations: obj, timeline: { type: 'array', items: obj }, metadata: obj,
    },
  },
  Backend: { type: 'object', properties: { backend: str, name: str, type: str, role: str, status: { type: 'string', enum: ['healthy', 'unhealthy'] }, latency_ms: nullable({ type: 'number' }), metrics: obj } },
  StorageOverview: {
    type: 'object',
    required: ['backends', 'fallback_pending'],
    properties: { backends: { type: 'object', additionalProperties: { $ref: '#/components/schemas/Backend' } }, fallback_pending: { type: 'integer' }, summary: obj },
  },
  StorageInfo: {
    type: 'object',
    properties: {
      primary_backend: nullable(str), fallback_backend: nullable(str), cache_enabled: { type: 'boolean' }, large_output_storage: nullable(str),
      storage_thresholds: { type: 'object', additionalProperties: { type: 'integer' } },
      backends_available: { type: 'array', items: str },
    },
  },
  Statistics: {
    type: 'object',
    required: ['total_evaluations', 'by_status', 'by_language'],
    properties: {
      total_evaluations: { type: 'integer' },
      by_status: { type: 'object', additionalProperties: { type: 'integer' } },
      by_language: { type: 'object', additionalProperties: { type: 'integer' } },
      average_runtime_ms: nullable({ type: 'number' }),
      runtime_ms: { type: 'object', properties: Object.fromEntries(['avg', 'p50', 'p95', 'max'].map((k) => [k, nullable({ type: 'number' })])) },
      success_rate: { type: 'number' },
    },
  },
};

const ERROR_TEXT: Record<number, string> = {
  400: 'The request could not be read (not JSON, not an object, a malformed id in the URL).',
  401: 'No API key, or one the gateway does not know.',
  403: 'The key lacks the scope (GET needs read, writes need write, storage routes admin), or a CSRF-prone request.',
  404: 'No such evaluation (or backend).',
  405: 'The path exists, the method does not.',
  409: 'CONFLICT (the id is taken by other content) or INVALID_TRANSITION (a status change that is not allowed).',
  413: 'A body or a text over its limit.',
  416: 'A Range outside the text.',
  422: 'BAD_USER_INPUT: a value the API refuses (wrong type, unknown field, past a limit); `detail` says which.',
  429: 'RATE_LIMITED; see Retry-After.',
  500: 'Unexpected; the log has the cause under request_id.',
  503: 'UNAVAILABLE: a backend this needs is down; retry when GET /ready answers 200.',
};

function parameters(route: RestRoute): Json[] {
  const path = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: str, description: name === 'id' ? 'Evaluation id: 1-128 letters, digits, "_", "-", "." or ":".' : 'Backend key, as in /storage/overview.' }));
  return [...path, ...(route.query ?? []).map((q) => ({ name: q.name, in: 'query', required: false, schema: q.schema, description: q.description }))];
}

function requestBody(route: RestRoute): Json | undefined {
  if (!route.body) return undefined;
  const required = route.body.filter((f) => f.required).map((f) => f.name);
  const schema = { type: 'object', additionalProperties: false, properties: Object.fromEntries(route.body.map((f) => [f.name, f.schema])), ...(required.length ? { required } : {}) };
  return { required: true, content: { 'application/json': { schema } } };
}

function responses(route: RestRoute): Json {
  const isPublic = route.path === '/health';
  const common = route.servedBy ? (isPublic ? [] : [401, 403]) : [400, 401, 403, 422, 429, 500, 503];
  const statuses = [...new Set([...common, ...(route.errors ?? []), ...(route.body ? [413] : [])])].sort();
  const content = (schema: Json, type = 'application/json') => ({ [type]: { schema } });
  const success = route.response.schema.type === 'string' ? content(route.response.schema, route.path === '/openapi.yaml' ? 'application/yaml' : 'text/plain') : content(route.response.schema);
  return {
    [route.response.status]: { description: route.response.description, ...(Object.keys(route.response.schema).length ? { content: success } : {}) },
    ...Object.fromEntries(statuses.map((s) => [s, { description: ERROR_TEXT[s]!, content: content({ $ref: '#/components/schemas/Error' }) }])),
  };
}

/** Each route's operation id: its method and path in camel case (getEvaluationsIdLogs). */
function operationId(route: RestRoute): string {
  const words = route.path.replace(/[{}]/g, '').split(/[^A-Za-z0-9]+/).filter(Boolean);
  return route.method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/** OpenAPI 3.0 for the route table: nothing in it is written twice. */
export function openApiDocument(routes: readonly RestRoute[], config: Config): Json {
  const paths: Json = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = {
      operationId: operationId(route),
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      ...(route.path === '/health' ? { security: [] } : {}),
      ...(route.operation ? { 'x-graphql-operation': route.operation.name } : { 'x-served-by': route.servedBy }),
      parameters: parameters(route),
      ...(requestBody(route) ? { requestBody: requestBody(route) } : {}),
      responses: responses(route),
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Strata REST API (seed 004 compatible)',
      version: '1.0.0',
      description:
        'The storage service REST API of seed 004, served by the Strata GraphQL gateway. Every route runs one named GraphQL operation ' +
        '(x-graphql-operation, in src/rest/operations.graphql) through the same server as POST /graphql, so API keys, limits, rate limits, ' +
        'the audit log and error codes are the same. With API keys configured send `Authorization: Bearer <key>`.',
    },
    servers: [{ url: config.publicUrl }],
    security: [{ bearer: [] }],
    paths,
    components: { schemas: SCHEMAS, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A key from STRATA_API_KEYS (not needed when the gateway runs open).' } } },
  };
}

export const openApiYaml = (routes: readonly RestRoute[], config: Config) => stringify(openApiDocument(routes, config), { aliasDuplicateObjects: false });
