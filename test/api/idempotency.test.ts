import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type BackendName, type TestApp } from '../support/app.ts';
import { postgresUnavailable } from '../support/postgres.ts';

const skipPostgres = await postgresUnavailable();
const CREATE = 'mutation($code: String!) { createEvaluation(input: { code: $code }) { id code } }';

for (const backend of ['memory', 'pglite', 'postgres'] as BackendName[]) {
  describe(`Idempotency-Key on mutations (${backend})`, { skip: backend === 'postgres' && !!skipPostgres }, () => {
    let app: TestApp;
    before(async () => {
      app = await createTestApp(backend);
    });
    after(() => app.close());

    const post = (key: string | null, code: string, extra: Record<string, string> = {}) =>
      app.yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key === null ? {} : { 'idempotency-key': key }), ...extra },
        body: JSON.stringify({ query: CREATE, variables: { code } }),
      });
    const count = async () => (await app.gql('{ evaluations(first: 500) { totalCount } }')).body.data.evaluations.totalCount as number;

    it('answers a retry with the first response and runs it once; another request with the key is a CONFLICT', async () => {
      const before = await count();
      const first = await post('key-1', 'print(1)');
      const firstBody = await first.json();
      const retry = await post('key-1', 'print(1)');
      assert.equal(retry.headers.get('idempotency-replayed'), 'true');
      assert.deepEqual(await retry.json(), firstBody, 'the same generated id: the same response');
      assert.equal(await count(), before + 1, 'one effect');
      const other = await post('key-1', 'print(2)');
      assert.equal(other.status, 409);
      assert.equal((await other.json()).errors[0].extensions.code, 'CONFLICT');
      const otherCaller = await post('key-1', 'print(1)', { authorization: 'Bearer someone-else' });
      assert.notEqual(otherCaller.headers.get('idempotency-replayed'), 'true', "never another caller's response");
    });

    it('runs 20 concurrent requests with one key once, and gives all of them the same answer', async () => {
      const before = await count();
      const responses = await Promise.all(Array.from({ length: 20 }, () => post('key-20', 'print(20)')));
      const bodies = await Promise.all(responses.map((r) => r.json()));
      assert.equal(new Set(bodies.map((b) => JSON.stringify(b))).size, 1);
      assert.ok(bodies[0].data.createEvaluation.id);
      assert.equal(responses.filter((r) => r.headers.get('idempotency-replayed') === 'true').length, 19);
      assert.equal(await count(), before + 1);
    });

    it('keeps deterministic errors, refuses malformed keys, and leaves requests without a key alone', async () => {
      const bad = await post('key-bad', 'x\u0000');
      const again = await post('key-bad', 'x\u0000');
      assert.deepEqual(await again.json(), await bad.json());
      for (const key of ['', 'ä-non-ascii', 'x'.repeat(256), 'with space']) {
        const res = await post(key, 'print(1)');
        assert.equal(res.status, 400, JSON.stringify(key));
      }
      const before = await count();
      await post(null, 'print(3)');
      await post(null, 'print(3)');
      assert.equal(await count(), before + 2);
    });
  });
}
