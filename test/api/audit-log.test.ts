import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { postgresUnavailable } from '../support/postgres.ts';
import { API_KEYS_ENV, bearer, KEYS } from '../support/keys.ts';
import { createTestApp, type BackendName, type TestApp } from '../support/app.ts';

const LOG = `query($first: Int, $after: String, $filter: AuditLogFilter) {
  auditLog(first: $first, after: $after, filter: $filter) {
    edges { cursor node { keyName operation targetIds outcome requestId at } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const skip = await postgresUnavailable();

for (const backend of ['memory', 'pglite', 'postgres'] as BackendName[]) {
  describe(`audit log (${backend})`, { skip: backend === 'postgres' ? (skip ?? false) : false }, () => {
    let app: TestApp;
    const admin = bearer(KEYS.admin);
    const log = async (variables: Record<string, unknown> = {}) => {
      const res = await app.gql(LOG, variables, admin);
      assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
      return res.body.data.auditLog as { edges: { cursor: string; node: Record<string, any> }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    };
    before(async () => (app = await createTestApp(backend, {}, undefined, { STRATA_API_KEYS: API_KEYS_ENV, RATE_LIMIT_PER_SECOND: '0' })));
    after(() => app.close());

    it('records every mutation field with key, operation, targets, outcome and request id', async () => {
      const created = await app.gql('mutation { createEvaluation(input: { code: "x" }) { status } }', undefined, { ...bearer(KEYS.write), 'x-request-id': 'req-a1' });
      await app.gql('mutation { a: addEvent(evaluationId: "nope", type: "t") { id } b: kvPut(key: "k1", value: 1) { key } }', undefined, { ...bearer(KEYS.worker), 'x-request-id': 'req-a2' });
      await app.gql('mutation { kvDelete(key: "k1") }', undefined, { ...bearer(KEYS.read), 'x-request-id': 'req-a3' });
      await app.gql('{ evaluations { totalCount } }', undefined, bearer(KEYS.read));
      const { edges } = await log();
      const rows = edges.map((e) => e.node);
      assert.equal(rows.length, 4, 'three mutation requests with four fields; the query is not recorded');
      const [denied, kvPut, addEvent, create] = rows;
      assert.deepEqual([create!.keyName, create!.operation, create!.outcome, create!.requestId], ['ci', 'createEvaluation', 'ok', 'req-a1']);
      assert.match(create!.targetIds[0], /^eval_\d{8}_\d{6}_/, 'the generated id is recorded even though the client did not select it');
      assert.equal(created.body.data.createEvaluation.status, 'QUEUED');
      assert.deepEqual([addEvent!.operation, addEvent!.targetIds, addEvent!.outcome], ['addEvent', ['nope'], 'NOT_FOUND']);
      assert.deepEqual([kvPut!.operation, kvPut!.targetIds, kvPut!.outcome, kvPut!.keyName], ['kvPut', ['k1'], 'ok', 'worker']);
      assert.deepEqual([denied!.operation, denied!.outcome, denied!.keyName], ['kvDelete', 'FORBIDDEN', 'dashboard']);
      assert.ok(rows.every((r) => !Number.isNaN(Date.parse(r.at))));
    });

    it('pages newest first with cursors, and filters', async () => {
      for (let i = 0; i < 5; i++) await app.gql(`mutation { kvPut(key: "page-${i}", value: ${i}) { key } }`, undefined, bearer(KEYS.write));
      const first = await log({ first: 3 });
      assert.deepEqual(first.edges.map((e) => e.node.targetIds[0]), ['page-4', 'page-3', 'page-2']);
      assert.equal(first.pageInfo.hasNextPage, true);
      const second = await log({ first: 3, after: first.pageInfo.endCursor });
      assert.deepEqual(second.edges.map((e) => e.node.targetIds[0]), ['page-1', 'page-0', 'k1']);
      assert.deepEqual((await log({ filter: { outcome: 'FORBIDDEN' } })).edges.map((e) => e.node.operation), ['kvDelete']);
      assert.equal((await log({ filter: { keyName: 'ci', operation: 'kvPut' } })).edges.length, 5);
      assert.deepEqual((await log({ filter: { targetId: 'page-2' } })).edges.map((e) => e.node.operation), ['kvPut']);
      assert.equal((await log({ filter: { since: new Date(Date.now() + 60_000).toISOString() } })).edges.length, 0);
      const bad = await app.gql(LOG, { after: 'garbage' }, admin);
      assert.equal(bad.body.errors?.[0].extensions.code, 'BAD_USER_INPUT');
    });

    it('cannot be changed through the API: no mutation touches it', async () => {
      const mutations = await app.gql('{ __schema { mutationType { fields { name } } } }', undefined, admin);
      const names: string[] = mutations.body.data.__schema.mutationType.fields.map((f: { name: string }) => f.name);
      assert.deepEqual(names.filter((n) => /audit/i.test(n)), []);
      if (app.registry.sql) {
        await assert.rejects(app.registry.sql.query("UPDATE audit_log SET outcome = 'ok'"), /cannot be changed/);
      }
    });
  });
}
