import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type BackendName, type TestApp } from '../support/app.ts';
import { postgresUnavailable } from '../support/postgres.ts';

const backends: BackendName[] = ['memory', 'pglite'];
if (!(await postgresUnavailable())) backends.push('postgres');

const CREATE = /* GraphQL */ `
  mutation Create($task: CreateTaskInput!, $result: CreateResultInput!) {
    createTask(input: $task) { id name status data createdAt }
    createResult(input: $result) { id data }
  }`;

const TRAVERSE = /* GraphQL */ `
  query Traverse($from: ID!, $direction: Direction, $maxDepth: Int, $edgeTypes: [String!], $limit: Int) {
    traverse(from: $from, direction: $direction, maxDepth: $maxDepth, edgeTypes: $edgeTypes, limit: $limit) {
      vertices { __typename ... on Task { id name } ... on Result { id data } }
      edges { id from to type data }
    }
  }`;

for (const backend of backends) {
  describe(`task/result graph API end to end (${backend})`, () => {
    let app: TestApp;
    before(async () => {
      app = await createTestApp(backend);
    });
    after(() => app.close());

    it('creates, links, traverses and unlinks through GraphQL', async () => {
      const created = await app.gql(CREATE, { task: { id: 'train', name: 'train model', status: 'done', data: { epochs: 3 } }, result: { id: 'weights', data: { size: 42 } } });
      assert.equal(created.body.errors, undefined);
      assert.deepEqual(created.body.data.createTask.data, { epochs: 3 });
      await app.gql(CREATE, { task: { id: 'evaluate', name: 'evaluate' }, result: { id: 'report', data: {} } });
      const link = (from: string, to: string, type: string) => app.gql(`mutation { link(from: "${from}", to: "${to}", type: "${type}", data: {by: "test"}) { id from to type data } }`);
      const edge = (await link('train', 'weights', 'produced')).body.data.link;
      assert.deepEqual({ ...edge, id: undefined }, { id: undefined, from: 'train', to: 'weights', type: 'produced', data: { by: 'test' } });
      assert.equal((await link('train', 'weights', 'produced')).body.data.link.id, edge.id, 'linking twice returns the same edge');
      await link('weights', 'evaluate', 'input_of');
      await link('evaluate', 'report', 'produced');

      const walk = await app.gql(TRAVERSE, { from: 'train', maxDepth: 3 });
      assert.equal(walk.body.errors, undefined);
      const paths = walk.body.data.traverse as { vertices: { __typename: string; id: string }[]; edges: { type: string }[] }[];
      assert.deepEqual(paths.map((p) => p.vertices.map((v) => `${v.__typename}:${v.id}`).join(' > ')), [
        'Task:train > Result:weights',
        'Task:train > Result:weights > Task:evaluate',
        'Task:train > Result:weights > Task:evaluate > Result:report',
      ]);
      assert.deepEqual(paths[2]!.edges.map((e) => e.type), ['produced', 'input_of', 'produced']);
      const back = await app.gql(TRAVERSE, { from: 'report', direction: 'INBOUND', maxDepth: 10, edgeTypes: ['produced'] });
      assert.equal(back.body.data.traverse.length, 1);

      const nested = await app.gql(`{ task(id: "train") { results { id producedBy { id } } } result(id: "report") { producedBy { name } } notATask: task(id: "weights") { id } }`);
      assert.deepEqual(nested.body.data, { task: { results: [{ id: 'weights', producedBy: [{ id: 'train' }] }] }, result: { producedBy: [{ name: 'evaluate' }] }, notATask: null });

      assert.equal((await app.gql(`mutation { unlink(id: "${edge.id}") }`)).body.data.unlink, true);
      assert.equal((await app.gql(`mutation { unlink(id: "${edge.id}") }`)).body.data.unlink, false);
    });

    it('joins evaluations and tasks both ways', async () => {
      await app.gql(`mutation { createTask(input: { id: "job-1", name: "job" }) { id } }`);
      for (const id of ['ev-1', 'ev-2']) await app.gql(`mutation { createEvaluation(input: { id: "${id}", code: "print(1)", taskId: "job-1" }) { id } }`);
      await app.gql(`mutation { createEvaluation(input: { id: "ev-orphan", code: "print(1)", taskId: "no-such-task" }) { id } }`);
      const res = await app.gql(`{ task(id: "job-1") { evaluations { id task { id name } } } orphan: evaluation(id: "ev-orphan") { task { id } } }`);
      assert.equal(res.body.errors, undefined);
      assert.deepEqual(res.body.data, {
        task: { evaluations: [{ id: 'ev-1', task: { id: 'job-1', name: 'job' } }, { id: 'ev-2', task: { id: 'job-1', name: 'job' } }] },
        orphan: { task: null },
      });
    });

    it('answers bad input with BAD_USER_INPUT and missing vertices with NOT_FOUND', async () => {
      const codeOf = async (query: string, variables?: Record<string, unknown>) => (await app.gql(query, variables)).body.errors?.[0]?.extensions?.code;
      await app.gql(`mutation { createTask(input: { id: "lonely", name: "x" }) { id } }`);
      assert.equal(await codeOf(TRAVERSE, { from: 'lonely', maxDepth: 11 }), 'BAD_USER_INPUT');
      assert.equal(await codeOf(TRAVERSE, { from: 'lonely', limit: -1 }), 'BAD_USER_INPUT');
      assert.equal(await codeOf(TRAVERSE, { from: '../../etc/passwd' }), 'BAD_USER_INPUT');
      assert.equal(await codeOf(TRAVERSE, { from: 'lonely', edgeTypes: ['x" || true'] }), 'BAD_USER_INPUT');
      assert.equal(await codeOf(TRAVERSE, { from: 'nobody' }), 'NOT_FOUND');
      assert.equal(await codeOf(`mutation { link(from: "lonely", to: "nobody", type: "produced") { id } }`), 'NOT_FOUND');
      assert.equal(await codeOf(`mutation { createResult(input: { id: "lonely", data: {} }) { id } }`), 'CONFLICT');
      assert.equal(await codeOf(`{ task(id: "tasks/lonely") { id } }`), 'BAD_USER_INPUT');
    });
  });
}
