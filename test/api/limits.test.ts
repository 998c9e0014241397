import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.ts';

/** Each limit set low, so "just under" and "just over" are small documents. */
const ENV = {
  MAX_QUERY_DEPTH: '6',
  MAX_ALIASES: '3',
  MAX_DIRECTIVES: '2',
  MAX_TOKENS: '40',
  MAX_QUERY_COST: '150',
  MAX_BATCH_SIZE: '2',
  MAX_REQUEST_BYTES: '2000',
  MAX_PAGE_SIZE: '50',
  DEFAULT_PAGE_SIZE: '10',
};

const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: health { ok }`).join(' ')} }`;

describe('limits on what one request may ask, just under and just over each bound', () => {
  let app: TestApp;
  before(async () => (app = await createTestApp('memory', {}, undefined, ENV)));
  after(() => app.close());

  async function passes(query: string) {
    const res = await app.gql(query);
    assert.equal(res.body.errors, undefined, `${query}: ${JSON.stringify(res.body.errors)}`);
  }
  async function fails(query: string, code: string, message: RegExp, variables?: Record<string, unknown>) {
    const res = await app.gql(query, variables);
    assert.equal(res.body.data ?? null, null, query);
    assert.equal(res.body.errors?.[0]?.extensions?.code, code, JSON.stringify(res.body));
    assert.match(res.body.errors![0].message, message);
  }

  it('depth (MAX_QUERY_DEPTH)', async () => {
    await passes('{ evaluation(id: "x") { task { evaluations { task { evaluations { id } } } } } }');
    await fails('{ evaluation(id: "x") { task { evaluations { task { evaluations { task { id } } } } } } }', 'GRAPHQL_VALIDATION_FAILED', /depth limit of 6 exceeded, found 7/);
    await fails('query { ...A } fragment A on Query { evaluation(id: "x") { task { evaluations { task { evaluations { task { id } } } } } } }', 'GRAPHQL_VALIDATION_FAILED', /depth limit of 6/);
  });

  it('aliases (MAX_ALIASES)', async () => {
    await passes(aliases(3));
    await fails(aliases(4), 'GRAPHQL_VALIDATION_FAILED', /Aliases limit of 3 exceeded, found 4/);
  });

  it('directives (MAX_DIRECTIVES)', async () => {
    await passes('{ health @include(if: true) { ok @skip(if: false) } }');
    await fails('{ health @include(if: true) { ok @skip(if: false) status @skip(if: false) } }', 'GRAPHQL_VALIDATION_FAILED', /Directives limit of 2 exceeded, found 3/);
  });

  it('tokens (MAX_TOKENS), counted while parsing: exactly 40 pass, 41 do not', async () => {
    const tokens = (n: number) => `{ health { ${'ok '.repeat(n - 5)}} }`; // {, health, {, n - 5 names, }, }
    await passes(tokens(40));
    await fails(tokens(41), 'GRAPHQL_PARSE_FAILED', /Token limit of 40 exceeded/);
  });

  it('cost (MAX_QUERY_COST): exactly at the bound passes, one over fails; lists count by their page size, from literals or variables', async () => {
    // evaluations(first: n) { edges { node { id } } } costs n * 3 (connection, edge, node); health 1.
    await passes('{ evaluations(first: 50) { edges { node { id } } } }'); // 150
    await fails('{ health { ok } evaluations(first: 50) { edges { node { id } } } }', 'BAD_USER_INPUT', /costs 151, more than the limit of 150 \(MAX_QUERY_COST\)/);
    await fails('{ evaluations(first: 50) { edges { cursor node { id task { id } } } } }', 'BAD_USER_INPUT', /costs 200, more than the limit of 150 \(MAX_QUERY_COST\)/);
    await fails('query($n: Int) { evaluations(first: $n) { edges { node { id task { id } } } } }', 'BAD_USER_INPUT', /costs 200/, { n: 50 });
    const under = await app.gql('query($n: Int) { evaluations(first: $n) { edges { node { id task { id } } } } }', { n: 37 });
    assert.equal(under.body.errors, undefined, 'the same document with a smaller page: 148');
    // No size argument: DEFAULT_PAGE_SIZE (10) per page; lists without one (a task's results) count 10.
    await passes('{ evaluations { edges { node { task { results { id } } } } } }'); // 10 * (3 + 1 + 10) = 140
    await fails('{ evaluations { edges { node { task { results { id } evaluations { id } } } } } }', 'BAD_USER_INPUT', /costs 240/);
  });

  it('first / last maxima (MAX_PAGE_SIZE): exactly the maximum passes, one more fails, the resolver naming the argument', async () => {
    await passes('{ evaluations(first: 50) { totalCount } }');
    await fails('{ evaluations(first: 51) { totalCount } }', 'BAD_USER_INPUT', /first must be between 0 and 50/);
    await passes('{ evaluations(last: 50) { totalCount } }');
    await fails('{ evaluations(last: 51) { totalCount } }', 'BAD_USER_INPUT', /last must be between 0 and 50/);
  });

  it('bracket nesting, checked before parsing (2 * MAX_QUERY_DEPTH + 32 = 44): 44 deep passes, 45 does not', async () => {
    // Inline fragments nest brackets without adding field depth, so the depth rule lets both through;
    // only the pre-check (for documents over 256 characters) tells them apart.
    const nested = (n: number) => `{ ${'... on Query { '.repeat(n - 2)}health { ok }${' }'.repeat(n - 2)} }`;
    assert.ok(nested(44).length > 256);
    const open = await createTestApp('memory', {}, undefined, { MAX_QUERY_DEPTH: '6' }); // the default token limit
    try {
      assert.deepEqual((await open.gql(nested(44))).body, { data: { health: { ok: true } } });
      const over = (await open.gql(nested(45))).body;
      assert.equal(over.errors?.[0]?.extensions?.code, 'GRAPHQL_PARSE_FAILED', JSON.stringify(over));
      assert.match(over.errors![0].message, /nests brackets more than 44 deep \(from MAX_QUERY_DEPTH\)/);
    } finally {
      await open.close();
    }
  });

  it('batch size (MAX_BATCH_SIZE)', async () => {
    const batch = (n: number) =>
      app.yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(Array.from({ length: n }, () => ({ query: '{ health { ok } }' }))) });
    const two = await batch(2);
    assert.equal(two.status, 200);
    assert.equal((await two.json()).length, 2);
    const three = await batch(3);
    assert.equal(three.status, 413);
    assert.match((await three.json()).errors[0].message, /limited to 2 operations/);
  });

  it('request body size (MAX_REQUEST_BYTES)', async () => {
    const send = (body: string) => app.yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const sized = (bytes: number) => {
      const base = JSON.stringify({ query: '{ health { ok } }', variables: { pad: '' } });
      return JSON.stringify({ query: '{ health { ok } }', variables: { pad: 'x'.repeat(bytes - base.length) } });
    };
    assert.equal(sized(2000).length, 2000);
    assert.equal((await send(sized(2000))).status, 200);
    const over = await send(sized(2001));
    assert.equal(over.status, 413);
    assert.equal((await over.json()).errors[0].extensions.code, 'REQUEST_ENTITY_TOO_LARGE');
  });
});
