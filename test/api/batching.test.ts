import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PageWithTimelineDocument } from '../generated/graphql.ts';
import { createTestApp, type BackendName, type TestApp } from '../support/app.ts';
import { postgresUnavailable } from '../support/postgres.ts';

const backends: BackendName[] = ['pglite'];
if (!(await postgresUnavailable())) backends.push('postgres');

for (const backend of backends) {
  describe(`a page of evaluations with events and metrics costs a constant number of statements (${backend})`, () => {
    let app: TestApp;
    before(async () => {
      app = await createTestApp(backend);
      for (let i = 0; i < 100; i++) {
        const id = `b${String(i).padStart(3, '0')}`;
        await app.registry.evaluations.insert(
          { id, code: 'x', codeHash: 'h', language: 'python', status: 'QUEUED', metadata: {}, taskId: null, createdAt: new Date(Date.UTC(2024, 0, 1, 0, 0, i)) },
          { type: 'created', message: null, metadata: {} },
        );
        await app.registry.evaluations.insertMetrics(id, [1, 2, 3].map((step) => ({ name: 'accuracy', value: step / 10, unit: null, step, timestamp: new Date() })));
      }
    });
    after(() => app.close());

    async function statementsFor(first: number): Promise<number> {
      const sql = app.registry.sql!;
      const before = sql.stats.statements;
      const res = await app.gql(PageWithTimelineDocument, { first, events: 10 });
      assert.equal(res.body.errors, undefined);
      const edges = res.body.data!.evaluations.edges;
      assert.equal(edges.length, first);
      assert.ok(edges.every((e) => e.node.events.totalCount === 1 && e.node.metrics.length === 3));
      return sql.stats.statements - before;
    }

    it('is the same for 1, 10 and 100 evaluations: list, events, event counts, metrics', async () => {
      const counts = [await statementsFor(1), await statementsFor(10), await statementsFor(100)];
      assert.deepEqual(counts, [4, 4, 4]);
    });
  });
}
