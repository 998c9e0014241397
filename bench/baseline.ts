import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';

/**
 * The baseline the gateway is measured against: what a person writes by hand for the same four
 * requests with `node:http` and `pg`, no GraphQL, no framework. It answers with the same JSON the
 * gateway sends (`{"data": {...}}`, same fields, same order), so both put the same bytes on the
 * wire and the comparison is about the work in between. It is deliberately not tuned either:
 * default pg type parsing, unnamed statements, a pool of the gateway's default size.
 *
 *   GET  /evaluations/:id                                              W1
 *   GET  /evaluations?status=COMPLETED&first=50&events=10&metrics=accuracy   W2
 *   GET  /statistics                                                   W3
 *   POST /evaluations  {"id", "code", "language"}                      W4
 *
 * Env: DATABASE_URL, DATABASE_SCHEMA, PORT; it listens on 127.0.0.1 only.
 */

const schema = process.env.DATABASE_SCHEMA ?? 'public';
if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error('DATABASE_SCHEMA must be a lower-case SQL identifier');
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10, options: `-c search_path=${schema},public` });
pool.on('error', () => {}); // an idle connection that drops is replaced on the next query

const EVALUATION = `SELECT id, code, code_hash AS "codeHash", language, status, created_at AS "createdAt",
  started_at AS "startedAt", completed_at AS "completedAt", runtime_ms AS "runtimeMs", metadata, retries,
  celery_task_id AS "celeryTaskId", deleted_at AS "deletedAt"
  FROM evaluations WHERE id = $1`;

async function evaluation(id: string): Promise<unknown> {
  const { rows } = await pool.query(EVALUATION, [id]);
  return { evaluation: rows[0] ?? null };
}

const NEWEST = `SELECT id, status, created_at AS "createdAt", runtime_ms AS "runtimeMs" FROM evaluations
  WHERE deleted_at IS NULL AND status = ANY($1::text[]) ORDER BY created_at DESC, id DESC LIMIT $2`;
const EVENTS = `SELECT evaluation_id, type, timestamp, message FROM (
    SELECT evaluation_id, type, timestamp, message, id, row_number() OVER (PARTITION BY evaluation_id ORDER BY id) AS rn
    FROM evaluation_events WHERE evaluation_id = ANY($1::text[])) e
  WHERE rn <= $2 ORDER BY evaluation_id, id`;
const METRICS = `SELECT evaluation_id, name, value, step, timestamp FROM evaluation_metrics
  WHERE evaluation_id = ANY($1::text[]) AND name = ANY($2::text[]) ORDER BY evaluation_id, name, timestamp, id`;

/** A page of evaluations, then their events and metrics in two queries run side by side. */
async function newest(params: URLSearchParams): Promise<unknown> {
  const statuses = (params.get('status') ?? 'COMPLETED').split(',');
  const first = Math.min(Number(params.get('first') ?? 50), 500);
  const page = await pool.query(NEWEST, [statuses, first]);
  const ids = page.rows.map((r) => r.id as string);
  const [events, metrics] = await Promise.all([
    pool.query(EVENTS, [ids, Math.min(Number(params.get('events') ?? 10), 500)]),
    pool.query(METRICS, [ids, (params.get('metrics') ?? 'accuracy').split(',')]),
  ]);
  const byId = new Map<string, { events: { edges: unknown[] }; metrics: unknown[] }>();
  const edges = page.rows.map((r) => {
    const node = { ...r, events: { edges: [] as unknown[] }, metrics: [] as unknown[] };
    byId.set(r.id, node);
    return { node };
  });
  for (const { evaluation_id, ...event } of events.rows) byId.get(evaluation_id)!.events.edges.push({ node: event });
  for (const { evaluation_id, ...metric } of metrics.rows) byId.get(evaluation_id)!.metrics.push(metric);
  return { evaluations: { edges } };
}

const STATISTICS = `SELECT status, language, GROUPING(status) AS gs, GROUPING(language) AS gl, count(*)::int AS n,
    avg(runtime_ms)::float8 AS avg, percentile_cont(0.5) WITHIN GROUP (ORDER BY runtime_ms) AS p50,
    percentile_cont(0.95) WITHIN GROUP (ORDER BY runtime_ms) AS p95, max(runtime_ms)::float8 AS max
  FROM evaluations WHERE deleted_at IS NULL
  GROUP BY GROUPING SETS ((), (status), (language)) ORDER BY n DESC, status, language`;

async function statistics(): Promise<unknown> {
  const { rows } = await pool.query(STATISTICS);
  const total = rows.find((r) => r.gs === 1 && r.gl === 1);
  return {
    statistics: {
      total: total?.n ?? 0,
      byStatus: rows.filter((r) => r.gs === 0).map((r) => ({ status: r.status, count: r.n })),
      byLanguage: rows.filter((r) => r.gl === 0).map((r) => ({ language: r.language, count: r.n })),
      runtimeMs: { avg: total?.avg ?? null, p50: total?.p50 ?? null, p95: total?.p95 ?? null, max: total?.max ?? null },
    },
  };
}

// The row and its `created` event in one statement, as the gateway writes them.
const CREATE = `WITH ins AS (
    INSERT INTO evaluations (id, code, code_hash, language, status, metadata, created_at, updated_at)
    VALUES ($1, $2, $3, $4, 'QUEUED', '{}', now(), now()) ON CONFLICT (id) DO NOTHING
    RETURNING id, code, code_hash, language, status, created_at),
  ev AS (INSERT INTO evaluation_events (evaluation_id, type, metadata, timestamp)
    SELECT id, 'created', '{"status":"QUEUED"}', created_at FROM ins)
  SELECT id, code, code_hash AS "codeHash", language, status, created_at AS "createdAt" FROM ins`;

async function create(body: { id?: unknown; code?: unknown; language?: unknown }): Promise<unknown> {
  if (typeof body.id !== 'string' || typeof body.code !== 'string') throw new HttpError(400, 'id and code are required strings');
  const codeHash = createHash('sha256').update(body.code, 'utf8').digest('hex');
  const { rows } = await pool.query(CREATE, [body.id, body.code, codeHash, typeof body.language === 'string' ? body.language : 'python']);
  if (!rows[0]) throw new HttpError(409, `evaluation ${body.id} already exists`);
  return { createEvaluation: rows[0] };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY = 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
}

function route(req: IncomingMessage, url: URL): Promise<unknown> | null {
  const path = url.pathname;
  if (req.method === 'GET' && path.startsWith('/evaluations/')) return evaluation(decodeURIComponent(path.slice(13)));
  if (req.method === 'GET' && path === '/evaluations') return newest(url.searchParams);
  if (req.method === 'GET' && path === '/statistics') return statistics();
  if (req.method === 'POST' && path === '/evaluations') return readJson(req).then(create);
  return null;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/health') return void res.writeHead(200).end('ok');
  try {
    const data = route(req, url);
    if (!data) return void res.writeHead(404).end();
    const body = JSON.stringify({ data: await data });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
  } catch (err) {
    const status = err instanceof HttpError ? err.status : 500;
    if (status === 500) console.error('baseline:', err);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: status === 500 ? 'internal error' : (err as Error).message }] }));
  }
}

const server = createServer((req, res) => void handle(req, res));
server.listen(Number(process.env.PORT ?? 4100), '127.0.0.1');

const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
