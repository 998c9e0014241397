import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { capturingLogger as capturing, createTestApp, type TestApp } from '../support/app.ts';

const INTROSPECTION = '{ __schema { queryType { name } } }';
const codes = (body: { errors?: { extensions?: { code?: string } }[] }) => body.errors?.map((e) => e.extensions?.code) ?? [];

/** Log lines as parsed JSON, to find what the gateway logged about a masked error. */
const capturingLogger = () => capturing('error');

describe('production mode (NODE_ENV=production)', () => {
  let app: TestApp;
  const { logger, lines } = capturingLogger();
  before(async () => (app = await createTestApp('memory', {}, logger, { NODE_ENV: 'production' })));
  after(() => app.close());

  it('refuses introspection with a coded validation error, and runs nothing', async () => {
    for (const query of [INTROSPECTION, '{ __type(name: "Query") { fields { name } } }', '{ health { ok } __schema { types { name } } }']) {
      const res = await app.gql(query);
      assert.equal(res.body.data, undefined, query);
      assert.ok(codes(res.body).length > 0 && codes(res.body).every((c) => c === 'GRAPHQL_VALIDATION_FAILED'), JSON.stringify(res.body));
      assert.match(res.body.errors![0].message, /introspection has been disabled/);
    }
    assert.deepEqual((await app.gql('{ health { __typename ok } }')).body, { data: { health: { __typename: 'Health', ok: true } } }, '__typename is not introspection');
  });

  it('serves no GraphiQL page', async () => {
    const res = await app.yoga.fetch('http://yoga/graphql', { headers: { accept: 'text/html' } });
    assert.notEqual(res.status, 200);
    assert.doesNotMatch(await res.text(), /graphiql/i);
  });

  it('gives no "did you mean" suggestions, which would spell out the schema', async () => {
    for (const query of ['{ evaluatoins { totalCount } }', '{ evaluation(id: "x") { statu } }', '{ evaluations(frist: 1) { totalCount } }', 'query { evaluations(filter: { statuss: [QUEUED] }) { totalCount } }']) {
      const res = await app.gql(query);
      assert.deepEqual(codes(res.body), ['GRAPHQL_VALIDATION_FAILED'], query);
      const message = res.body.errors![0].message as string;
      assert.doesNotMatch(message, /did you mean/i, message);
      assert.doesNotMatch(message, /"evaluations"|"status"|"first"/, message);
    }
  });

  it('masks an internal error as "Unexpected error." with the request id, and logs the cause under the same id', async () => {
    const store = app.registry.evaluations;
    const count = store.count;
    store.count = async () => {
      throw new Error('connect ECONNRESET db-7.internal:5432 password=hunter2');
    };
    try {
      const res = await app.gql('{ health { ok } evaluations { totalCount } }', undefined, { 'x-request-id': 'prod-req-1' });
      assert.deepEqual(res.body.data, null);
      const [error] = res.body.errors!;
      assert.deepEqual({ message: error.message, extensions: error.extensions }, { message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'prod-req-1' } });
      assert.doesNotMatch(JSON.stringify(res.body), /hunter2|ECONNRESET|stack/);
      const logged = lines.find((l) => l['requestId'] === 'prod-req-1');
      assert.match(JSON.stringify(logged), /hunter2/, 'the log keeps the cause');
      assert.deepEqual((await app.gql('{ health { ok } }')).body, { data: { health: { ok: true } } }, 'still serving');
    } finally {
      store.count = count;
    }
  });

  it('masks an error outside any field (a plugin\'s backend failing) the same way: the request\'s id in the answer and in the log', async () => {
    for (const NODE_ENV of ['production', 'development']) {
      const { logger: log, lines: logged } = capturingLogger();
      const keyed = await createTestApp('memory', {}, log, { NODE_ENV, STRATA_API_KEYS: 'ops:admin-key-0123456789abcdef012:admin', RATE_LIMIT_PER_SECOND: '10' });
      try {
        keyed.registry.rateLimiter.take = async () => {
          throw new Error('READONLY You can\'t write against a read only replica. redis://:s3cret@10.0.0.7');
        };
        // In production the client sends an X-Request-Id; in development it does not, and the gateway makes one.
        const given: Record<string, string> = NODE_ENV === 'production' ? { 'x-request-id': 'outside-req-1' } : {};
        const res = await keyed.gql('{ health { ok } }', undefined, { authorization: 'Bearer admin-key-0123456789abcdef012', ...given });
        assert.equal(res.status, 500, NODE_ENV);
        const [error] = res.body.errors!;
        if (given['x-request-id']) assert.equal(error.extensions.requestId, given['x-request-id'], "the client's id, when it sent one");
        else assert.match(error.extensions.requestId, /^[0-9a-f-]{36}$/, 'else one the gateway made');
        assert.equal(error.message, 'Unexpected error.');
        assert.deepEqual(Object.keys(error.extensions).sort(), ['code', 'requestId'], `${NODE_ENV}: nothing else, no originalError`);
        assert.equal(error.extensions.code, 'INTERNAL_SERVER_ERROR');
        assert.doesNotMatch(JSON.stringify(res.body), /s3cret|READONLY/);
        const lines = logged.filter((l) => l['requestId'] === error.extensions.requestId);
        assert.equal(lines.filter((l) => l['msg'] === 'unexpected error outside a resolver (masked)').length, 1, `${NODE_ENV}: logged once`);
        assert.match(JSON.stringify(lines), /s3cret/, `${NODE_ENV}: the log has the cause under the id`);
      } finally {
        await keyed.close();
      }
    }
  });

  it('turns introspection and GraphiQL back on with INTROSPECTION=true, suggestions stay hidden', async () => {
    const open = await createTestApp('memory', {}, undefined, { NODE_ENV: 'production', INTROSPECTION: 'true' });
    try {
      assert.deepEqual((await open.gql(INTROSPECTION)).body, { data: { __schema: { queryType: { name: 'Query' } } } });
      const page = await open.yoga.fetch('http://yoga/graphql', { headers: { accept: 'text/html' } });
      assert.equal(page.status, 200);
      assert.match(await page.text(), /graphiql/i);
      assert.doesNotMatch((await open.gql('{ evaluatoins { totalCount } }')).body.errors![0].message, /did you mean/i);
    } finally {
      await open.close();
    }
  });

  it('outside production, introspection is on and suggestions are given (so the tests above test something)', async () => {
    const dev = await createTestApp('memory');
    try {
      assert.equal((await dev.gql(INTROSPECTION)).body.errors, undefined);
      assert.match((await dev.gql('{ evaluatoins { totalCount } }')).body.errors![0].message, /Did you mean "evaluations"/);
      const off = await createTestApp('memory', {}, undefined, { INTROSPECTION: 'false' });
      assert.match((await off.gql(INTROSPECTION)).body.errors![0].message, /introspection has been disabled/);
      await off.close();
    } finally {
      await dev.close();
    }
  });
});
