import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API_KEYS_ENV, bearer, KEYS } from '../support/keys.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const CREATE = 'mutation { createEvaluation(input: { id: "auth-1", code: "print(1)" }) { id } }';
const READ = '{ evaluations { totalCount } }';

describe('API keys and scopes (STRATA_API_KEYS set)', () => {
  let app: TestApp;
  before(async () => (app = await createTestApp('memory', {}, undefined, { STRATA_API_KEYS: API_KEYS_ENV, RATE_LIMIT_PER_SECOND: '0' })));
  after(() => app.close());

  const codes = (body: { errors?: { extensions: { code: string } }[] }) => body.errors?.map((e) => e.extensions.code) ?? [];

  it('answers a request without a key with UNAUTHENTICATED (401), field by field, and runs nothing', async () => {
    const res = await app.gql(CREATE, undefined, { authorization: '' });
    assert.equal(res.status, 401);
    assert.deepEqual(codes(res.body), ['UNAUTHENTICATED']);
    assert.match(res.body.errors![0].message, /needs an API key: send "Authorization: Bearer <key>"/);
    const check = await app.gql('{ evaluation(id: "auth-1") { id } }', undefined, bearer(KEYS.read));
    assert.equal(check.body.data.evaluation, null, 'the mutation did not run');
  });

  it('refuses a wrong key for the whole request with 401, before anything runs', async () => {
    for (const [i, header] of [`Bearer ${KEYS.read}x`, 'Bearer nope', 'Basic cmVhZDpyZWFk'].entries()) {
      const res = await app.gql(READ, undefined, { authorization: header, 'x-request-id': `wrong-key-${i}` });
      assert.equal(res.status, 401, header);
      assert.deepEqual(res.body, { errors: [{ message: 'The API key is not valid.', extensions: { code: 'UNAUTHENTICATED', requestId: `wrong-key-${i}` } }] });
    }
  });

  it('answers a read key on a mutation with FORBIDDEN (403) and a write key on a query likewise', async () => {
    const mutation = await app.gql(CREATE, undefined, bearer(KEYS.read));
    assert.equal(mutation.status, 403);
    assert.deepEqual(codes(mutation.body), ['FORBIDDEN']);
    assert.match(mutation.body.errors![0].message, /key "dashboard" may not use Mutation\.createEvaluation: it needs the write scope/);
    const query = await app.gql(READ, undefined, bearer(KEYS.write));
    assert.deepEqual(codes(query.body), ['FORBIDDEN']);
  });

  it('lets each key do what its scopes allow', async () => {
    assert.deepEqual((await app.gql(CREATE, undefined, bearer(KEYS.write))).body, { data: { createEvaluation: { id: 'auth-1' } } });
    assert.equal((await app.gql(READ, undefined, bearer(KEYS.read))).body.data.evaluations.totalCount, 1);
    const both = await app.gql('mutation { addEvent(evaluationId: "auth-1", type: "x") { type } }', undefined, bearer(KEYS.worker));
    assert.deepEqual(both.body, { data: { addEvent: { type: 'x' } } });
    assert.equal((await app.gql(READ, undefined, bearer(KEYS.admin))).body.data.evaluations.totalCount, 1, 'admin includes read');
  });

  it('keeps admin-only fields (storage, auditLog) from read and write keys, with FORBIDDEN', async () => {
    for (const field of ['storage { fallbackPending }', 'auditLog { edges { cursor } }']) {
      for (const key of [KEYS.read, KEYS.write, KEYS.worker]) {
        const res = await app.gql(`{ health { ok } ${field} }`, undefined, bearer(key));
        const forbidden = res.body.errors?.find((e) => e.extensions.code === 'FORBIDDEN');
        assert.ok(forbidden, `${field} with ${key}: ${JSON.stringify(res.body)}`);
      }
      const admin = await app.gql(`{ ${field} }`, undefined, bearer(KEYS.admin));
      assert.equal(admin.body.errors, undefined, JSON.stringify(admin.body));
    }
  });

  it('applies the same rules to REST routes: downloads and /metrics need a read key, /health none', async () => {
    const get = (path: string, headers: Record<string, string> = {}) => app.yoga.fetch(`http://yoga${path}`, { headers });
    assert.equal((await get('/evaluations/auth-1/output')).status, 401);
    assert.equal((await get('/evaluations/auth-1/output', bearer('wrong'))).status, 401);
    assert.equal((await get('/evaluations/auth-1/output', bearer(KEYS.write))).status, 403);
    assert.equal((await get('/evaluations/auth-1/output', bearer(KEYS.read))).status, 404, 'past the guard: no output yet');
    assert.equal((await get('/metrics')).status, 401);
    assert.equal((await get('/metrics', bearer(KEYS.read))).status, 200);
    assert.equal((await get('/health')).status, 200);
    const put = await app.yoga.fetch('http://yoga/evaluations/auth-1/output', { method: 'PUT', body: 'x', headers: { ...bearer(KEYS.read), 'content-type': 'application/octet-stream' } });
    assert.equal(put.status, 403, 'writing needs the write scope');
  });
});

describe('CSRF prevention (browser requests)', () => {
  let app: TestApp;
  before(async () => (app = await createTestApp('memory')));
  after(() => app.close());

  it('refuses GraphQL requests a browser could send cross-site without a preflight', async () => {
    const form = await app.yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${encodeURIComponent(CREATE)}` });
    assert.equal(form.status, 403);
    const get = await app.yoga.fetch(`http://yoga/graphql?query=${encodeURIComponent(READ)}`, { headers: { accept: 'application/json' } });
    assert.equal(get.status, 403);
    const withHeader = await app.yoga.fetch(`http://yoga/graphql?query=${encodeURIComponent(READ)}`, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } });
    assert.equal(withHeader.status, 200);
    assert.equal((await app.gql(READ)).status, 200, 'a JSON POST needs a preflight anyway');
  });

  it('refuses a simple cross-site POST on REST routes too', async () => {
    const res = await app.yoga.fetch('http://yoga/evaluations/x/celery-update', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    assert.equal(res.status, 403);
    assert.match((await res.json()).errors[0].message, /CSRF/);
  });

  it('sends no CORS headers unless CORS_ORIGINS allows the origin', async () => {
    const preflight = (a: TestApp) => a.yoga.fetch('http://yoga/graphql', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal((await preflight(app)).headers.get('access-control-allow-origin'), null);
    const open = await createTestApp('memory', {}, undefined, { CORS_ORIGINS: 'https://dash.example' });
    try {
      const res = await open.yoga.fetch('http://yoga/graphql', { method: 'OPTIONS', headers: { origin: 'https://dash.example', 'access-control-request-method': 'POST' } });
      assert.equal(res.headers.get('access-control-allow-origin'), 'https://dash.example');
      assert.notEqual((await preflight(open)).headers.get('access-control-allow-origin'), 'https://evil.example');
    } finally {
      await open.close();
    }
  });
});
