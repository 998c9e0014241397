import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ROUTES } from '../../src/rest/routes.ts';
import { API_KEYS_ENV, bearer, KEYS } from '../support/keys.ts';
import { createTestApp, type BackendName, type TestApp } from '../support/app.ts';

interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

/** A REST request in process, as a client of seed 004 sends it (JSON body, no GraphQL). */
function client(app: TestApp, defaults: Record<string, string> = {}) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const res = await app.yoga.fetch(`http://yoga${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...defaults, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  };
}

function assertError(reply: Reply, status: number, code: string, detail?: RegExp) {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.equal(reply.body.code, code);
  assert.equal(typeof reply.body.detail, 'string');
  assert.equal(reply.body.errors[0].extensions.code, code, 'the GraphQL shape too');
  if (detail) assert.match(reply.body.detail, detail);
}

for (const backend of ['memory', 'pglite'] as BackendName[]) {
  describe(`REST API of seed 004 (${backend})`, () => {
    let app: TestApp;
    let rest: ReturnType<typeof client>;
    before(async () => {
      app = await createTestApp(backend, {}, undefined, { STRATA_API_KEYS: API_KEYS_ENV, RATE_LIMIT_PER_SECOND: '0' });
      rest = client(app, bearer(KEYS.admin));
    });
    after(() => app.close());

    it('runs an evaluation through its life with seed-shaped requests and answers', async () => {
      const created = await rest('POST', '/evaluations', { id: 'rest-1', code: 'print(1)', language: 'python', status: 'queued', metadata: { submitted_by: 'api' } });
      assert.equal(created.status, 200);
      assert.equal(created.body.id, 'rest-1');
      assert.equal(created.body.status, 'queued');
      assert.deepEqual(created.body.metadata, { submitted_by: 'api' });
      assert.match(created.body.code_hash, /^[0-9a-f]{64}$/);

      assert.equal((await rest('PUT', '/evaluations/rest-1', { status: 'running' })).body.status, 'running');
      const running = await rest('GET', '/evaluations/running');
      assert.equal(running.body.count, 1);
      assert.equal(running.body.running_evaluations[0].eval_id, 'rest-1');

      const logs = await rest('POST', '/evaluations/rest-1/logs', { lines: ['one', { text: 'two', stream: 'stderr' }] });
      assert.deepEqual(logs.body.lines.map((l: any) => [l.seq, l.stream, l.text]), [[1, 'stdout', 'one'], [2, 'stderr', 'two']]);
      await rest('POST', '/evaluations/rest-1/logs', { content: 'three\nfour\n' });
      const read = await rest('GET', '/evaluations/rest-1/logs?after_seq=1');
      assert.deepEqual(read.body.lines.map((l: any) => l.text), ['two', 'three', 'four']);
      assert.equal(read.body.next_seq, 5);
      assert.equal(read.body.is_running, true);

      const event = await rest('POST', '/evaluations/rest-1/events', { type: 'checkpoint', message: 'half way', metadata: { step: 5 } });
      assert.equal(event.body.evaluation_id, 'rest-1');
      assert.equal(event.body.type, 'checkpoint');

      const done = await rest('PUT', '/evaluations/rest-1', { status: 'completed', output: 'Count: 0\nCount: 1\n...', runtime_ms: 150 });
      assert.equal(done.body.status, 'completed');
      assert.equal(done.body.runtime_ms, 150);
      assert.equal(done.body.output, 'Count: 0\nCount: 1\n...');

      const withInfo = await rest('GET', '/evaluations/rest-1?include_storage_info=true');
      assert.deepEqual(
        { location: withInfo.body._storage_info.output_location, size: withInfo.body._storage_info.output_size, truncated: withInfo.body._storage_info.output_truncated },
        { location: 'inline', size: 21, truncated: false },
      );
      assert.equal((await rest('GET', '/evaluations/rest-1')).body._storage_info, undefined, 'only when asked');

      const events = await rest('GET', '/evaluations/rest-1/events');
      assert.ok(Array.isArray(events.body));
      assert.deepEqual(events.body.map((e: any) => e.type), ['created', 'status_changed', 'checkpoint', 'status_changed']);
      assert.equal(events.headers.get('x-total-count'), '4');

      const complete = await rest('GET', '/evaluations/rest-1/complete');
      assert.equal(complete.body.evaluation.id, 'rest-1');
      assert.equal(complete.body.total_events, 4);
      assert.equal(complete.body.logs.lines.length, 4);
      assert.equal(complete.body.storage_locations.output, 'inline');

      // The same data through GraphQL: one set of resolvers.
      const viaGraphql = await app.gql('{ evaluation(id: "rest-1") { status runtimeMs logs { nextSeq } } }', undefined, bearer(KEYS.read));
      assert.deepEqual(viaGraphql.body.data.evaluation, { status: 'COMPLETED', runtimeMs: 150, logs: { nextSeq: 5 } });

      const deleted = await rest('DELETE', '/evaluations/rest-1');
      assert.equal(deleted.status, 200);
      assert.equal(deleted.body.id, 'rest-1');
      assert.ok(deleted.body.deleted_at);
      assert.ok((await rest('GET', '/evaluations/rest-1')).body.deleted_at, 'a soft delete: still readable by id');
    });

    it('finishes a QUEUED evaluation through RUNNING, as the seed\'s "Update Evaluation with Output" example does', async () => {
      await rest('POST', '/evaluations', { id: 'rest-direct', code: 'x' });
      const done = await rest('PUT', '/evaluations/rest-direct', { status: 'completed', output: 'ok', runtime_ms: 7 }, { 'idempotency-key': 'rest-direct-1' });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.deepEqual([done.body.status, done.body.runtime_ms, done.body.output], ['completed', 7, 'ok']);
      assert.ok(done.body.started_at);
      const again = await rest('PUT', '/evaluations/rest-direct', { status: 'completed', output: 'ok', runtime_ms: 7 }, { 'idempotency-key': 'rest-direct-1' });
      assert.deepEqual(again.body, done.body, 'a retry with the key gets the first answer');
      const events = await rest('GET', '/evaluations/rest-direct/events?types=status_changed');
      assert.deepEqual(events.body.map((e: any) => e.message), ['QUEUED -> RUNNING', 'RUNNING -> COMPLETED']);
    });

    it('applies Celery updates as seed 004 maps task states', async () => {
      await rest('POST', '/evaluations', { id: 'rest-celery', code: 'x' });
      const update = await rest('POST', '/evaluations/rest-celery/celery-update', { celery_task_id: 'celery-task-456', task_state: 'SUCCESS', retries: 0, output: 'Task completed successfully' });
      assert.equal(update.status, 200, JSON.stringify(update.body));
      assert.equal(update.body.status, 'completed');
      assert.equal(update.body.celery_task_id, 'celery-task-456');
      assert.equal(update.body.output, 'Task completed successfully');
    });

    it('pages the list by cursor with filters, newest first', async () => {
      for (let i = 0; i < 5; i++) await rest('POST', '/evaluations', { id: `rest-page-${i}`, code: `p${i}`, language: 'ruby' });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Reply = await rest('GET', `/evaluations?limit=2&language=ruby${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        assert.equal(page.body.total, 5);
        assert.ok(page.body.evaluations.length <= 2);
        seen.push(...page.body.evaluations.map((e: any) => e.id));
        cursor = page.body.next_cursor;
        assert.equal(page.body.has_more, cursor !== null);
      } while (cursor);
      assert.deepEqual(seen, ['rest-page-4', 'rest-page-3', 'rest-page-2', 'rest-page-1', 'rest-page-0']);
      const queued = await rest('GET', '/evaluations?status=queued,running&language=ruby&order_by=created_at&order=asc&limit=1');
      assert.equal(queued.body.evaluations[0].id, 'rest-page-0');
      assertError(await rest('GET', '/evaluations?offset=10'), 422, 'BAD_USER_INPUT', /cursor/);
      assertError(await rest('GET', '/evaluations?limit=abc'), 422, 'BAD_USER_INPUT', /Int/);
      assertError(await rest('GET', '/evaluations?status=sleeping'), 422, 'BAD_USER_INPUT', /SLEEPING/);
      assertError(await rest('GET', '/evaluations?cursor=not-a-cursor'), 422, 'BAD_USER_INPUT');
    });

    it('returns texts up to the blob threshold whole, larger ones as a preview with their download link', async () => {
      await rest('POST', '/evaluations', { id: 'rest-big', code: 'x' });
      await rest('PUT', '/evaluations/rest-big', { status: 'running' });
      const medium = 'm'.repeat(50_000);
      assert.equal((await rest('PUT', '/evaluations/rest-big', { output: medium })).body.output, medium, 'compressed in the row, returned whole');
      const big = 'b'.repeat(app.config.blobs.largeFileThreshold + 10);
      const res = await rest('PUT', '/evaluations/rest-big', { output: big });
      assert.equal(res.status, 200);
      assert.equal(res.body.output_truncated, true);
      assert.equal(res.body.output.length, Math.min(app.config.blobs.largeFileThreshold, app.config.limits.maxTextSlice));
      assert.match(res.body.output_url, /\/evaluations\/rest-big\/output$/);
      const info = (await rest('GET', '/evaluations/rest-big?include_storage_info=true')).body._storage_info;
      assert.equal(info.output_location, 'file', 'past LARGE_FILE_THRESHOLD: in the blob store');
      assert.equal(info.output_size, big.length);
      assert.equal(info.output_truncated, true);
      const list = await rest('GET', '/evaluations?limit=50');
      const item = list.body.evaluations.find((e: any) => e.id === 'rest-big');
      assert.equal(item.output.length, app.config.limits.previewSize, 'lists carry previews');
    });

    it('answers storage, statistics and running routes', async () => {
      const info = await rest('GET', '/storage-info');
      assert.equal(info.status, 200);
      assert.deepEqual(info.body.storage_thresholds, { inline_threshold: 10240, large_file_threshold: 102400, preview_size: 1000 });
      assert.ok(info.body.primary_backend);
      const overview = await rest('GET', '/storage/overview');
      assert.equal(overview.body.backends.database.status, 'healthy');
      assert.equal(typeof overview.body.fallback_pending, 'number');
      const details = await rest('GET', '/storage/database/details');
      assert.equal(details.body.backend, 'database');
      assert.equal(details.body.role, 'primary');
      assertError(await rest('GET', '/storage/nope/details'), 404, 'NOT_FOUND', /known: .*database/);
      assertError(await rest('GET', '/storage/..%2F..%2Fetc/details'), 400, 'BAD_USER_INPUT');
      const stats = await rest('GET', '/statistics');
      assert.equal(stats.status, 200);
      assert.equal(typeof stats.body.total_evaluations, 'number');
      assert.equal(typeof stats.body.by_status, 'object');
      assert.equal(typeof stats.body.success_rate, 'number');
      assertError(await rest('GET', '/statistics?since=yesterday'), 422, 'BAD_USER_INPUT');
      assertError(await rest('GET', '/evaluations/rest-celery/running'), 404, 'NOT_FOUND', /not running/);
    });
  });
}

describe('REST errors and hostile input', () => {
  let app: TestApp;
  let rest: ReturnType<typeof client>;
  before(async () => {
    app = await createTestApp('memory', {}, undefined, { MAX_REQUEST_BYTES: '65536' });
    rest = client(app);
    await rest('POST', '/evaluations', { id: 'h-1', code: 'keep me', metadata: { a: 1 } });
  });
  after(() => app.close());

  const unchanged = async () => {
    const e = (await rest('GET', '/evaluations/h-1')).body;
    assert.deepEqual([e.code, e.status, e.metadata, e.runtime_ms], ['keep me', 'queued', { a: 1 }, null], 'a refused request changed nothing');
  };

  it('maps error codes to statuses with {detail, code}', async () => {
    assertError(await rest('GET', '/evaluations/nope'), 404, 'NOT_FOUND', /"nope" does not exist/);
    assertError(await rest('PUT', '/evaluations/nope', { status: 'running' }), 404, 'NOT_FOUND');
    assertError(await rest('POST', '/evaluations/nope/logs', { lines: ['x'] }), 404, 'NOT_FOUND');
    assertError(await rest('POST', '/evaluations', { id: 'h-1', code: 'other code' }), 409, 'CONFLICT');
    assertError(await rest('PUT', '/evaluations/h-1', { status: 'running', runtime_ms: -1 }), 422, 'BAD_USER_INPUT', /runtime_ms/);
    await rest('POST', '/evaluations', { id: 'h-done', code: 'x' });
    await rest('PUT', '/evaluations/h-done', { status: 'cancelled' });
    assertError(await rest('PUT', '/evaluations/h-done', { status: 'running' }), 409, 'INVALID_TRANSITION', /CANCELLED to RUNNING/);
    assertError(await rest('PUT', '/evaluations/h-done', { status: 'completed' }), 409, 'INVALID_TRANSITION', /CANCELLED to COMPLETED/);
    assertError(await rest('PATCH', '/evaluations/h-1', {}), 405, 'METHOD_NOT_ALLOWED');
    assert.equal((await rest('PATCH', '/evaluations/h-1', {})).headers.get('allow'), 'GET, PUT, DELETE');
    await unchanged();
  });

  it('refuses bodies it cannot read (400) and values it will not take (422), naming the seed fields', async () => {
    assertError(await rest('PUT', '/evaluations/h-1', '{"status": "running"'), 400, 'BAD_USER_INPUT', /not valid JSON/);
    assertError(await rest('PUT', '/evaluations/h-1', '[1, 2]'), 400, 'BAD_USER_INPUT', /an array/);
    assertError(await rest('PUT', '/evaluations/h-1', 'null'), 400, 'BAD_USER_INPUT', /null/);
    assertError(await rest('POST', '/evaluations', ''), 400, 'BAD_USER_INPUT', /JSON object body/);
    assertError(await rest('PUT', '/evaluations/h-1', { runtime_ms: 'fast' }), 422, 'BAD_USER_INPUT', /runtime_ms/);
    assertError(await rest('PUT', '/evaluations/h-1', { runtime_ms: 1.5 }), 422, 'BAD_USER_INPUT', /runtime_ms/);
    assertError(await rest('PUT', '/evaluations/h-1', { status: 'sleeping' }), 422, 'BAD_USER_INPUT', /SLEEPING/);
    assertError(await rest('PUT', '/evaluations/h-1', { status: 'running', celery_task_id: 'c', final_failure: true }), 422, 'BAD_USER_INPUT', /"celery_task_id", "final_failure"/);
    assertError(await rest('PUT', '/evaluations/h-1', { metadata: 'not an object' }), 422, 'BAD_USER_INPUT');
    assertError(await rest('POST', '/evaluations', { id: 'h-2', code: 42 }), 422, 'BAD_USER_INPUT', /String/);
    assertError(await rest('POST', '/evaluations', { id: 'h-2' }), 422, 'BAD_USER_INPUT', /code/);
    assertError(await rest('POST', '/evaluations', { id: '../../etc/passwd', code: 'x' }), 422, 'BAD_USER_INPUT', /id must be/);
    assertError(await rest('POST', '/evaluations/h-1/logs', { append: false, content: 'x' }), 422, 'BAD_USER_INPUT', /append-only/);
    assertError(await rest('POST', '/evaluations/h-1/logs', { lines: 'x' }), 422, 'BAD_USER_INPUT');
    assertError(await rest('POST', '/evaluations/h-1/logs', { lines: [{ text: 'a\u0000b' }] }), 422, 'BAD_USER_INPUT', /NUL/);
    assertError(await rest('POST', '/evaluations/h-1/celery-update', { task_state: 'SUCCESS' }), 422, 'BAD_USER_INPUT', /celery_task_id|celeryTaskId/);
    assertError(await rest('POST', '/evaluations/h-1/events', { type: 5 }), 422, 'BAD_USER_INPUT');
    assert.equal((await rest('GET', '/evaluations/h-2')).status, 404, 'nothing was created');
    await unchanged();
  });

  it('refuses traversal-looking and malformed ids in the path before anything runs', async () => {
    for (const id of ['..%2F..%2Fetc%2Fpasswd', 'a%00b', '%E0%A4%A', '%20', 'x'.repeat(200), 'a..b', '.hidden']) {
      for (const [method, path] of [['GET', `/evaluations/${id}`], ['DELETE', `/evaluations/${id}`], ['GET', `/evaluations/${id}/logs`], ['POST', `/evaluations/${id}/events`]] as const) {
        const reply = await rest(method, path, method === 'POST' ? { type: 't' } : undefined);
        assertError(reply, 400, 'BAD_USER_INPUT');
      }
    }
    // URL parsing resolves these dot segments first: the path then names no route at all.
    for (const path of ['/evaluations/../../etc/passwd', '/evaluations/%2e%2e', '/evaluations/%2e%2e/logs']) {
      assert.equal((await rest('DELETE', path)).status, 404, path);
    }
    await unchanged();
  });

  it('refuses a body over MAX_REQUEST_BYTES with 413 without reading it whole', async () => {
    const huge = JSON.stringify({ status: 'running', output: 'x'.repeat(100_000) });
    assertError(await rest('PUT', '/evaluations/h-1', huge), 413, 'PAYLOAD_TOO_LARGE', /MAX_REQUEST_BYTES/);
    // Chunked, no Content-Length: counted while read.
    const stream = new ReadableStream({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('x'.repeat(16_384)));
      },
    });
    const res = await app.yoga.fetch('http://yoga/evaluations/h-1', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    assert.equal(res.status, 413);
    await unchanged();
  });

  it('refuses a body nested deeper than any field takes with 422, not a stack overflow', async () => {
    for (const depth of [100, 5_000, 30_000]) {
      const body = `{"id":"h-deep","code":"x","metadata":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
      assertError(await rest('POST', '/evaluations', body), 422, 'BAD_USER_INPUT', /nested more than/);
    }
    assert.equal((await rest('GET', '/evaluations/h-deep')).status, 404);
  });

  it('answers random bodies, ids and query strings on every route with a coded 4xx or a success, never a 5xx', async () => {
    const routes = ROUTES.filter((r) => r.operation);
    const id = fc.oneof(fc.constant('h-1'), fc.constant('nope'), fc.constantFrom('..%2F..%2Fetc', '%00', '%E0%A4', 'a:b.c-d_e', '.x'), fc.string({ maxLength: 20 }).map(encodeURIComponent));
    const body = fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('id', 'code', 'status', 'output', 'runtime_ms', 'metadata', 'lines', 'content', 'type', 'task_state', 'celery_task_id', 'x'), fc.jsonValue()));
    const query = fc.dictionary(fc.constantFrom('limit', 'cursor', 'status', 'since', 'tail', 'after_seq', 'include_storage_info', 'order_by', 'types'), fc.string({ maxLength: 12 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), id, body, query, async (route, rawId, json, params) => {
        const path = route.path.replace('{id}', rawId).replace('{backend}', rawId);
        const qs = new URLSearchParams(params).toString();
        const reply = await rest(route.method, `${path}${qs ? `?${qs}` : ''}`, route.body ? JSON.stringify(json) : undefined);
        assert.ok(reply.status < 500, `${route.method} ${path}?${qs} ${JSON.stringify(json)} -> ${reply.status} ${JSON.stringify(reply.body)}`);
        if (reply.status >= 400 && reply.status !== 404) assert.equal(typeof reply.body.code, 'string');
      }),
      { numRuns: 300, seed: 8 },
    );
    // h-1 may have been changed by the run; the server still serves.
    assert.equal((await rest('GET', '/evaluations/h-1')).status, 200);
  });

  it('masks an internal failure as 500 with a request id and keeps serving', async () => {
    const store = app.registry.evaluations;
    const original = store.getMany.bind(store);
    store.getMany = async () => {
      throw new Error('disk on fire');
    };
    try {
      const reply = await rest('GET', '/evaluations/h-1');
      assertError(reply, 500, 'INTERNAL_SERVER_ERROR', /^Unexpected error\.$/);
      assert.ok(reply.body.request_id);
      assert.doesNotMatch(JSON.stringify(reply.body), /disk on fire/);
    } finally {
      store.getMany = original;
    }
    await unchanged();
  });

  it('replays a write with the same Idempotency-Key instead of running it twice', async () => {
    const headers = { 'idempotency-key': 'rest-idem-1' };
    const first = await rest('POST', '/evaluations/h-1/events', { type: 'once' }, headers);
    const again = await rest('POST', '/evaluations/h-1/events', { type: 'once' }, headers);
    assert.equal(again.headers.get('idempotency-replayed'), 'true');
    assert.deepEqual(again.body, first.body);
    const events = await rest('GET', '/evaluations/h-1/events?types=once');
    assert.equal(events.body.length, 1);
    assertError(await rest('POST', '/evaluations/h-1/events', { type: 'other' }, headers), 409, 'CONFLICT');
  });
});

describe('REST routes under API keys, rate limits, the audit log and persisted-only mode', () => {
  it('apply the GraphQL rules: scopes, 401/403, admin-only storage routes, audit records', async () => {
    const app = await createTestApp('memory', {}, undefined, { STRATA_API_KEYS: API_KEYS_ENV, RATE_LIMIT_PER_SECOND: '0' });
    try {
      const rest = client(app);
      assertError(await rest('GET', '/evaluations'), 401, 'UNAUTHENTICATED');
      assertError(await rest('GET', '/evaluations', undefined, bearer('not-a-key-at-all')), 401, 'UNAUTHENTICATED');
      assertError(await rest('POST', '/evaluations', { code: 'x' }, bearer(KEYS.read)), 403, 'FORBIDDEN');
      const created = await rest('POST', '/evaluations', { id: 'k-1', code: 'x' }, { ...bearer(KEYS.write), 'x-request-id': 'rest-req-1' });
      assert.equal(created.status, 200);
      assert.equal((await rest('GET', '/evaluations/k-1', undefined, bearer(KEYS.read))).status, 200);
      assertError(await rest('GET', '/storage/overview', undefined, bearer(KEYS.read)), 403, 'FORBIDDEN', /admin/);
      assertError(await rest('GET', '/storage-info', undefined, bearer(KEYS.write)), 403, 'FORBIDDEN');
      assert.equal((await rest('GET', '/storage/overview', undefined, bearer(KEYS.admin))).status, 200);
      assertError(await rest('POST', '/evaluations', '{"code":"x"}', { 'content-type': 'text/plain' }), 403, 'FORBIDDEN', /CSRF/);
      assert.equal((await rest('GET', '/health')).status, 200, 'liveness needs no key');
      const log = await app.gql('{ auditLog(first: 10, filter: { targetId: "k-1" }) { edges { node { keyName operation outcome requestId } } } }', undefined, bearer(KEYS.admin));
      assert.deepEqual(log.body.data.auditLog.edges.map((e: any) => e.node), [{ keyName: 'ci', operation: 'createEvaluation', outcome: 'ok', requestId: 'rest-req-1' }]);
      // A route that runs several operations gives them one request id.
      assert.equal((await rest('PUT', '/evaluations/k-1', { status: 'completed' }, bearer(KEYS.write))).status, 200);
      const after = await app.gql('{ auditLog(first: 10, filter: { targetId: "k-1" }) { edges { node { operation requestId } } } }', undefined, bearer(KEYS.admin));
      const writes = after.body.data.auditLog.edges.map((e: any) => e.node).filter((n: any) => n.operation !== 'createEvaluation');
      assert.deepEqual(writes.map((n: any) => n.operation).sort(), ['markRunning', 'updateEvaluation'], 'the start and the update');
      assert.equal(writes[0].requestId, writes[1].requestId);
    } finally {
      await app.close();
    }
  });

  it('take one rate-limit token per request and answer 429 with Retry-After', async () => {
    const app = await createTestApp('memory', {}, undefined, { STRATA_API_KEYS: API_KEYS_ENV, RATE_LIMIT_PER_SECOND: '0.01', RATE_LIMIT_BURST: '3' });
    try {
      const rest = client(app, bearer(KEYS.read));
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await rest('GET', '/statistics')).status);
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
      const limited = await rest('GET', '/evaluations');
      assertError(limited, 429, 'RATE_LIMITED');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    } finally {
      await app.close();
    }
  });

  it('keep working with PERSISTED_OPERATIONS_ONLY (their operations are in the manifest)', async () => {
    const app = await createTestApp('memory', {}, undefined, { PERSISTED_OPERATIONS_ONLY: 'true' });
    try {
      const rest = client(app);
      assert.equal((await rest('POST', '/evaluations', { id: 'p-1', code: 'x' })).status, 200);
      assert.equal((await rest('GET', '/evaluations/p-1/complete')).status, 200);
      assert.equal((await rest('GET', '/evaluations')).body.total, 1);
      const arbitrary = await app.gql('{ evaluation(id: "p-1") { id } }');
      assert.ok(arbitrary.body.errors?.length, 'arbitrary GraphQL stays refused');
    } finally {
      await app.close();
    }
  });
});
