import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GraphService } from '../../src/services/graph.ts';
import { createTestApp, type BackendName, type TestApp } from '../support/app.ts';
import { postgresUnavailable } from '../support/postgres.ts';

const backends: BackendName[] = ['pglite'];
if (!(await postgresUnavailable())) backends.push('postgres');

const PAGE = /* GraphQL */ `
  query Page($first: Int) {
    evaluations(first: $first, orderBy: { field: CREATED_AT, direction: ASC }) {
      edges { node { id task { id results { id producedBy { id } } evaluations { id } } } }
    }
  }`;

for (const backend of backends) {
  describe(`tasks with their results cost a constant number of statements (${backend})`, () => {
    let app: TestApp;
    before(async () => {
      app = await createTestApp(backend);
      const graph = new GraphService(app.registry.graph, app.config.limits, app.config.graph);
      // 100 tasks, each with two results and one evaluation pointing at it.
      for (let i = 0; i < 100; i++) {
        const n = String(i).padStart(3, '0');
        await graph.createTask({ id: `task-${n}`, name: `task ${n}` });
        for (const r of ['a', 'b']) {
          await graph.createResult({ id: `result-${n}-${r}`, data: { r } });
          await graph.link(`task-${n}`, `result-${n}-${r}`, 'produced', null);
        }
        await app.registry.evaluations.insert(
          { id: `ev-${n}`, code: 'x', codeHash: 'h', language: 'python', status: 'QUEUED', metadata: {}, taskId: `task-${n}`, createdAt: new Date(Date.UTC(2024, 0, 1, 0, 0, i)) },
          { type: 'created', message: null, metadata: {} },
        );
      }
    });
    after(() => app.close());

    async function statementsFor(first: number): Promise<number> {
      const sql = app.registry.sql!;
      const before = sql.stats.statements;
      const res = await app.gql(PAGE, { first });
      assert.equal(res.body.errors, undefined);
      const nodes = res.body.data.evaluations.edges.map((e: any) => e.node);
      assert.equal(nodes.length, first);
      assert.ok(nodes.every((e: any) => e.task.results.length === 2 && e.task.results[0].producedBy[0].id === e.task.id && e.task.evaluations[0].id === e.id));
      return sql.stats.statements - before;
    }

    it('is the same for 1, 10 and 100 tasks: list, task vertices, results, producers, evaluations', async () => {
      const counts = [await statementsFor(1), await statementsFor(10), await statementsFor(100)];
      assert.deepEqual(counts, [5, 5, 5]);
    });

    it('batches 100 task(id:) lookups with their results into two statements', async () => {
      const fields = Array.from({ length: 100 }, (_, i) => `t${i}: task(id: "task-${String(i).padStart(3, '0')}") { id results(type: "produced") { id } }`);
      const sql = app.registry.sql!;
      const before = sql.stats.statements;
      const res = await app.gql(`{ ${fields.join('\n')} }`);
      assert.equal(res.body.errors, undefined);
      assert.equal(Object.values(res.body.data).filter((t: any) => t.results.length === 2).length, 100);
      assert.equal(sql.stats.statements - before, 2, 'one for the task vertices, one for their results');
    });
  });
}
