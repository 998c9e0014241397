import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.ts';
import { API_KEYS_ENV, bearer, KEYS } from '../support/keys.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const json = { 'content-type': 'application/json' };
const admin = { ...json, ...bearer(KEYS.admin) };
const post = (body: unknown, headers: Record<string, string> = admin): RequestInit => ({ method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** One request for each way the gateway refuses something, with the code it must answer. */
const CASES: { name: string; path?: string; init: RequestInit; codes: string[] }[] = [
  { name: 'no key', init: post({ query: '{ health { ok } }' }, json), codes: ['UNAUTHENTICATED'] },
  { name: 'wrong key (before any context)', init: post({ query: '{ health { ok } }' }, { ...json, authorization: 'Bearer nope' }), codes: ['UNAUTHENTICATED'] },
  { name: 'read key on a mutation', init: post({ query: 'mutation { kvDelete(key: "k") }' }, { ...json, ...bearer(KEYS.read) }), codes: ['FORBIDDEN'] },
  { name: 'admin-only field', init: post({ query: '{ auditLog { edges { cursor } } }' }, { ...json, ...bearer(KEYS.write) }), codes: ['FORBIDDEN'] },
  { name: 'syntax error', init: post({ query: '{ health {' }), codes: ['GRAPHQL_PARSE_FAILED'] },
  { name: 'unknown field', init: post({ query: '{ nope }' }), codes: ['GRAPHQL_VALIDATION_FAILED'] },
  { name: 'depth limit', init: post({ query: `{ evaluation(id: "x") ${'{ task { evaluations '.repeat(4)}{ id }${' } }'.repeat(4)} }` }), codes: ['GRAPHQL_VALIDATION_FAILED'] },
  { name: 'variable that does not coerce', init: post({ query: 'query($n: Int) { evaluations(first: $n) { totalCount } }', variables: { n: 'x' } }), codes: ['BAD_USER_INPUT'] },
  { name: 'bad id in a field', init: post({ query: '{ evaluation(id: "../x") { id } }' }), codes: ['BAD_USER_INPUT'] },
  { name: 'unknown evaluation', init: post({ query: 'mutation { addEvent(evaluationId: "nope", type: "t") { id } }' }), codes: ['NOT_FOUND'] },
  { name: 'page size over MAX_PAGE_SIZE', init: post({ query: '{ evaluations(first: 100000) { totalCount } }' }), codes: ['BAD_USER_INPUT'] },
  { name: 'cost over MAX_QUERY_COST', init: post({ query: '{ evaluations(first: 50) { edges { node { id } } } }' }), codes: ['BAD_USER_INPUT'] },
  { name: 'body not JSON', init: post('{'), codes: ['BAD_REQUEST'] },
  { name: 'CSRF (a simple cross-site POST)', init: { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }, codes: ['FORBIDDEN'] },
  { name: 'mutation over GET', path: '/graphql?query=mutation%7BkvDelete(key%3A%22k%22)%7D', init: { headers: { ...bearer(KEYS.admin), 'x-graphql-yoga-csrf': '1' } }, codes: ['BAD_REQUEST'] },
  { name: 'batch of two failing operations', init: post([{ query: '{ nope }' }, { query: '{ health {' }]), codes: ['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED'] },
  { name: 'bad Idempotency-Key', init: post({ query: 'mutation { kvDelete(key: "k") }' }, { ...admin, 'idempotency-key': 'sp ace\u0001' }), codes: ['BAD_USER_INPUT'] },
  { name: 'download without a key (REST guard)', path: '/evaluations/x/output', init: {}, codes: ['UNAUTHENTICATED'] },
  { name: 'download of an unknown evaluation', path: '/evaluations/x/output', init: { headers: bearer(KEYS.admin) }, codes: ['NOT_FOUND'] },
  { name: 'upload to an unknown evaluation', path: '/evaluations/x/output', init: { method: 'PUT', headers: bearer(KEYS.admin), body: 'text' }, codes: ['NOT_FOUND'] },
  { name: 'REST route', path: '/evaluations/x', init: { headers: bearer(KEYS.admin) }, codes: ['NOT_FOUND'] },
];

describe("every coded error carries the request's id (extensions.requestId)", () => {
  let app: TestApp;
  before(async () => (app = await createTestApp('memory', {}, undefined, { STRATA_API_KEYS: API_KEYS_ENV, RATE_LIMIT_PER_SECOND: '0', MAX_QUERY_DEPTH: '6', MAX_QUERY_COST: '100' })));
  after(() => app.close());

  const errorsOf = async (c: (typeof CASES)[number], requestId?: string) => {
    const headers = { ...(c.init.headers as Record<string, string> | undefined), ...(requestId ? { 'x-request-id': requestId } : {}) };
    const res = await app.yoga.fetch(`http://yoga${c.path ?? '/graphql'}`, { ...c.init, headers });
    const body = await res.json();
    const errors: { extensions: Record<string, unknown> }[] = (Array.isArray(body) ? body : [body]).flatMap((r: { errors?: [] }) => r.errors ?? []);
    assert.deepEqual(errors.map((e) => e.extensions.code), c.codes, `${c.name}: ${JSON.stringify(body)}`);
    return errors.map((e) => e.extensions.requestId);
  };

  it("is the client's X-Request-Id when it sends one", async () => {
    for (const [i, c] of CASES.entries()) {
      for (const id of await errorsOf(c, `rid-${i}`)) assert.equal(id, `rid-${i}`, c.name);
    }
  });

  it('is one id the gateway made for the request otherwise, the same for every error of the answer', async () => {
    for (const c of CASES) {
      const ids = await errorsOf(c);
      assert.match(String(ids[0]), UUID, c.name);
      assert.deepEqual(new Set(ids).size, 1, `${c.name}: one request, one id`);
    }
  });
});
