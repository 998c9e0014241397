import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { testConfig } from '../../src/config.ts';
import { CreateEvaluationDocument, ListEvaluationsDocument, UpdateEvaluationDocument } from '../generated/graphql.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

/** Sends a request and returns its first error, asserting there is one with a code. */
async function firstError(app: TestApp, query: string, variables?: Record<string, unknown>) {
  const res = await app.gql(query, variables);
  const error = res.body.errors?.[0];
  assert.ok(error, `expected an error, got ${JSON.stringify(res.body)}`);
  assert.equal(typeof error.extensions?.code, 'string', `error without a code: ${JSON.stringify(error)}`);
  return { ...error, status: res.status } as { message: string; extensions: Record<string, any>; status: number };
}

const CREATE = 'mutation($input: CreateEvaluationInput!) { createEvaluation(input: $input) { id code metadata } }';

describe('hostile input gets a coded, actionable error and loses nothing', () => {
  let app: TestApp;
  const limits = { ...testConfig().limits, maxCodeBytes: 1000, maxMetadataBytes: 200, maxPageSize: 50 };
  before(async () => {
    app = await createTestApp('pglite', { limits });
    await app.gql(CreateEvaluationDocument, { input: { id: 'existing', code: 'print(1)' } });
  });
  after(() => app.close());

  it('rejects wrong types and unknown enum values before running anything', async () => {
    const wrongType = await firstError(app, CREATE, { input: { code: 123 } });
    assert.equal(wrongType.extensions.code, 'BAD_USER_INPUT');
    assert.match(wrongType.message, /String cannot represent/);
    const literal = await firstError(app, 'mutation { createEvaluation(input: { code: 5 }) { id } }');
    assert.equal(literal.extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    const badEnum = await firstError(app, '{ evaluations(filter: { status: [DONE] }) { totalCount } }');
    assert.equal(badEnum.extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    const parse = await firstError(app, '{ evaluations(');
    assert.equal(parse.extensions.code, 'GRAPHQL_PARSE_FAILED');
    const badDate = await firstError(app, 'query($d: DateTime) { statistics(from: $d) { total } }', { d: '2024-07-01' });
    assert.equal(badDate.extensions.code, 'BAD_USER_INPUT');
    assert.match(badDate.message, /RFC 3339/);
  });

  it('bounds page sizes and refuses cursors it did not issue', async () => {
    for (const first of [-1, 51, 2 ** 31 - 1]) {
      const e = await firstError(app, 'query($f: Int) { evaluations(first: $f) { totalCount } }', { f: first });
      assert.equal(e.extensions.code, 'BAD_USER_INPUT');
      assert.match(e.message, /first must be between 0 and 50/);
    }
    for (const after of ['garbage', 'WyJ4Il0', Buffer.from('["evaluations:CREATED_AT:DESC","not-a-date","x"]').toString('base64url'), "'; DROP TABLE evaluations; --"]) {
      const e = await firstError(app, 'query($a: String) { evaluations(first: 1, after: $a) { totalCount } }', { a: after });
      assert.equal(e.extensions.code, 'BAD_USER_INPUT', after);
    }
    const page = await app.gql(ListEvaluationsDocument, { first: 1, orderBy: { field: 'RUNTIME_MS', direction: 'ASC' } });
    const cursor = page.body.data!.evaluations.pageInfo.endCursor;
    const mismatch = await firstError(app, 'query($a: String) { evaluations(first: 1, after: $a) { totalCount } }', { a: cursor });
    assert.match(mismatch.message, /different ordering/);
    const both = await firstError(app, '{ evaluations(first: 1, last: 1) { totalCount } }');
    assert.equal(both.extensions.code, 'BAD_USER_INPUT');
  });

  it('refuses metadata that is not an object, and strings past the limits', async () => {
    for (const metadata of [[1, 2], 'text', 42, true]) {
      const e = await firstError(app, CREATE, { input: { code: 'x', metadata } });
      assert.equal(e.extensions.code, 'BAD_USER_INPUT');
      assert.match(e.message, /metadata must be a JSON object/);
    }
    const bigMeta = await firstError(app, CREATE, { input: { code: 'x', metadata: { blob: 'x'.repeat(500) } } });
    assert.match(bigMeta.message, /metadata is \d+ bytes as JSON; the limit is 200 bytes/);
    const bigCode = await firstError(app, CREATE, { input: { code: 'é'.repeat(600) } });
    assert.equal(bigCode.message, 'code is 1200 bytes; the limit is 1000 bytes.');
    const deep = await firstError(app, CREATE, { input: { code: 'x', metadata: JSON.parse('{"a":'.repeat(70) + '1' + '}'.repeat(70)) } });
    assert.equal(deep.extensions.code, 'BAD_USER_INPUT');
  });

  it('refuses NUL characters and broken Unicode where PostgreSQL cannot store them, but keeps them in output', async () => {
    const nul = await firstError(app, CREATE, { input: { code: 'print("a\u0000b")' } });
    assert.match(nul.message, /code contains a NUL character/);
    const nulMeta = await firstError(app, CREATE, { input: { code: 'x', metadata: { k: 'a\u0000' } } });
    assert.match(nulMeta.message, /NUL/);
    const surrogate = await app.yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"query":${JSON.stringify(CREATE)},"variables":{"input":{"code":"\\ud800 lone"}}}`,
    });
    const body = await surrogate.json();
    assert.equal(body.errors[0].extensions.code, 'BAD_USER_INPUT');
    assert.match(body.errors[0].message, /unpaired UTF-16 surrogate/);

    await app.gql(UpdateEvaluationDocument, { id: 'existing', input: { status: 'RUNNING' } });
    const out = await app.gql('mutation { updateEvaluation(id: "existing", input: { status: COMPLETED, output: "bin\\u0000ary ✓" }) { output { preview size } } }');
    assert.deepEqual(out.body.data.updateEvaluation.output, { preview: 'bin\u0000ary ✓', size: 11 });
  });

  it('stores SQL injection strings verbatim', async () => {
    const code = "'); DELETE FROM evaluations WHERE ('1'='1";
    const res = await app.gql(CREATE, { input: { id: 'inj', code, metadata: { "'": '"; DROP TABLE x; --' } } });
    assert.equal(res.body.data.createEvaluation.code, code);
    assert.deepEqual(res.body.data.createEvaluation.metadata, { "'": '"; DROP TABLE x; --' });
    const count = await app.gql(ListEvaluationsDocument, { filter: { metadataContains: { "'": '"; DROP TABLE x; --' } } });
    assert.equal(count.body.data!.evaluations.totalCount, 1);
  });

  it('refuses ids that could escape a path, duplicates with other content and invalid transitions', async () => {
    for (const id of ['../etc/passwd', 'a/b', '', 'x'.repeat(129), 'a b', '.hidden']) {
      const e = await firstError(app, CREATE, { input: { id, code: 'x' } });
      assert.equal(e.extensions.code, 'BAD_USER_INPUT', id);
    }
    const dup = await firstError(app, CREATE, { input: { id: 'existing', code: 'print(2)' } });
    assert.equal(dup.extensions.code, 'CONFLICT');
    const move = await firstError(app, 'mutation { updateEvaluation(id: "existing", input: { status: QUEUED }) { id } }');
    assert.equal(move.extensions.code, 'INVALID_TRANSITION');
    assert.match(move.message, /COMPLETED to QUEUED/);
    const missing = await firstError(app, '{ evaluation(id: "nope") { id } updateEvaluation: evaluation(id: "../x") { id } }');
    assert.equal(missing.extensions.code, 'BAD_USER_INPUT');
    assert.equal((await app.gql('{ evaluation(id: "nope") { id } }')).body.data.evaluation, null);
  });

  it('answers a batch entry that is not an object (null, a number, a string) with BAD_REQUEST, beside a mutation, and runs the rest', async () => {
    // Found by the fuzz test: use-batch-order.ts read `params.query` of a null entry (a masked 500).
    const body = JSON.stringify([{ query: 'mutation { kvPut(key: "batch-entry", value: 1) { key } }' }, null, 3, 'x', { query: '{ health { ok } }' }]);
    const res = await app.yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const results = (await res.json()) as { data?: unknown; errors?: { extensions: { code: string } }[] }[];
    assert.deepEqual(results.map((r) => r.data ?? r.errors?.map((e) => e.extensions.code)), [{ kvPut: { key: 'batch-entry' } }, ['BAD_REQUEST'], ['BAD_REQUEST'], ['BAD_REQUEST'], { health: { ok: true } }]);
  });

  it('keeps serving after all of the above', async () => {
    const res = await app.gql('{ evaluation(id: "existing") { id status } }');
    assert.deepEqual(res.body.data, { evaluation: { id: 'existing', status: 'COMPLETED' } });
  });
});

describe('internal errors are masked for the client and logged with the request id', () => {
  it('answers "Unexpected error." when the database is gone, and logs the cause', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, new Writable({ write: (chunk, _, done) => (lines.push(String(chunk)), done()) }));
    const app = await createTestApp('pglite', {}, logger);
    await app.registry.sql!.close();
    const res = await app.gql('{ evaluation(id: "x") { id } }', undefined, { 'x-request-id': 'req-123' });
    await app.close().catch(() => {});
    const error = res.body.errors![0];
    assert.equal(error.message, 'Unexpected error.');
    assert.deepEqual(error.extensions, { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-123' });
    assert.ok(!JSON.stringify(res.body).includes('PGlite'), 'no driver detail reaches the client');
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.requestId === 'req-123');
    assert.ok(logged, 'the error is logged with the request id');
    assert.match(JSON.stringify(logged.err), /closed/i);
  });
});
