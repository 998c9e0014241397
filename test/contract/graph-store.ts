import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { GraphStore } from '../../src/backends/graph-types.ts';
import { testConfig } from '../../src/config.ts';
import { GraphService } from '../../src/services/graph.ts';
import { rejectsWithCode } from '../support/assert.ts';
import { graphTraversalCases } from './graph-traversal.ts';

export interface GraphHandle {
  store: GraphStore;
  close(): Promise<void>;
}

export type GraphFactory = () => Promise<GraphHandle>;

/**
 * The GraphStore contract. Every backend runs this same suite (test/backends/*-graph.test.ts),
 * handed a factory that makes a fresh, empty store. It drives the store through the graph
 * service, as the API does, so input checks and error codes are part of what it checks.
 */
export function graphStoreContract(name: string, factory: GraphFactory): void {
  describe(`GraphStore contract: ${name}`, () => {
    let handle: GraphHandle;
    let graph: GraphService;
    const limits = testConfig().limits;

    beforeEach(async () => {
      handle = await factory();
      graph = new GraphService(handle.store, limits, { maxDepth: 10, maxVisits: 1000 });
    });
    afterEach(() => handle.close());

    it('creates tasks and results with the caller id or a generated one, and reads them back', async () => {
      const task = await graph.createTask({ id: 'task:build.1', name: 'build', status: 'pending', data: { unicode: 'ü ✓ 🚀', nested: { a: [1, null] } } });
      assert.deepEqual({ ...task, createdAt: undefined }, { kind: 'task', id: 'task:build.1', name: 'build', status: 'pending', data: { unicode: 'ü ✓ 🚀', nested: { a: [1, null] } }, createdAt: undefined });
      const result = await graph.createResult({ data: { _key: 'evil', _from: 'tasks/x', $where: '1' } });
      assert.match(result.id, /^result_[0-9a-f]{20}$/);
      assert.match((await graph.createTask({ name: 'anonymous' })).id, /^task_[0-9a-f]{20}$/);
      const found = await handle.store.getVertices([task.id, result.id, 'missing']);
      assert.deepEqual([...found.keys()].sort(), [result.id, task.id].sort());
      assert.deepEqual(found.get(result.id)!.data, { _key: 'evil', _from: 'tasks/x', $where: '1' }, 'data is stored as given, never merged into the document');
      assert.equal(found.get(task.id)!.createdAt.getTime(), task.createdAt.getTime());
    });

    it('is idempotent for the same content and refuses a different one, also across kinds', async () => {
      const first = await graph.createTask({ id: 't', name: 'n', data: { a: 1, b: 2 } });
      const again = await graph.createTask({ id: 't', name: 'n', data: { b: 2, a: 1 } });
      assert.equal(again.createdAt.getTime(), first.createdAt.getTime());
      await rejectsWithCode(graph.createTask({ id: 't', name: 'other' }), 'CONFLICT', { id: 't' });
      await rejectsWithCode(graph.createResult({ id: 't', data: { a: 1, b: 2 } }), 'CONFLICT', { id: 't' });
      await graph.createResult({ id: 'r', data: {} });
      await rejectsWithCode(graph.createTask({ id: 'r', name: 'n' }), 'CONFLICT');
    });

    it('links with a type and data; the same type between the same vertices returns the existing edge', async () => {
      await graph.createTask({ id: 't', name: 'n' });
      await graph.createResult({ id: 'r', data: {} });
      const edge = await graph.link('t', 'r', 'produced', { score: 0.9 });
      assert.deepEqual({ ...edge, id: undefined, createdAt: undefined }, { id: undefined, from: 't', to: 'r', type: 'produced', data: { score: 0.9 }, createdAt: undefined });
      const again = await graph.link('t', 'r', 'produced', { score: 0.1 });
      assert.equal(again.id, edge.id);
      assert.deepEqual(again.data, { score: 0.9 }, 'the existing edge is returned unchanged');
      const other = await graph.link('t', 'r', 'cites', null);
      const reverse = await graph.link('r', 't', 'produced', null);
      assert.equal(new Set([edge.id, other.id, reverse.id]).size, 3);
      assert.equal(await graph.unlink(edge.id), true);
      assert.equal(await graph.unlink(edge.id), false, 'unlinking twice is not an error');
      assert.notEqual((await graph.link('t', 'r', 'produced', null)).id, edge.id);
    });

    it('refuses a link to or from a missing vertex with NOT_FOUND naming it', async () => {
      await graph.createTask({ id: 't', name: 'n' });
      await rejectsWithCode(graph.link('t', 'nope', 'produced', null), 'NOT_FOUND', { id: 'nope' });
      await rejectsWithCode(graph.link('gone', 't', 'produced', null), 'NOT_FOUND', { id: 'gone' });
      await rejectsWithCode(graph.link('gone', 'nope', 'produced', null), 'NOT_FOUND', { id: 'gone' });
    });

    it('refuses hostile ids, edge types and data before they reach the store', async () => {
      await graph.createTask({ id: 't', name: 'n' });
      const hostile = ['../../etc/passwd', 'tasks/t', "t' OR '1'='1", '', 'a'.repeat(129), 'x\u0000', '@@value0', 'FOR x IN tasks'];
      for (const id of hostile) {
        await rejectsWithCode(graph.createTask({ id, name: 'n' }), 'BAD_USER_INPUT', { field: 'id' });
        await rejectsWithCode(graph.link(id, 't', 'produced', null), 'BAD_USER_INPUT', { field: 'from' });
        await rejectsWithCode(graph.link('t', id, 'produced', null), 'BAD_USER_INPUT', { field: 'to' });
        await rejectsWithCode(graph.traverse({ from: id }), 'BAD_USER_INPUT', { field: 'from' });
        await rejectsWithCode(graph.unlink(id), 'BAD_USER_INPUT', { field: 'id' });
      }
      for (const type of ['produced" || true || "', 'a b', '', '_key', 'x'.repeat(65)]) {
        await rejectsWithCode(graph.link('t', 't', type, null), 'BAD_USER_INPUT', { field: 'type' });
        await rejectsWithCode(graph.traverse({ from: 't', edgeTypes: [type] }), 'BAD_USER_INPUT', { field: 'edgeTypes' });
      }
      await rejectsWithCode(graph.createResult({ data: [1, 2] }), 'BAD_USER_INPUT', { field: 'data' });
      await rejectsWithCode(graph.createTask({ name: '' }), 'BAD_USER_INPUT', { field: 'name' });
      const after = await graph.traverse({ from: 't', minDepth: 0, direction: 'ANY' });
      assert.deepEqual(after.map((p) => p.vertices.length), [1], 'nothing was written by the refused calls');
    });

    it('looks up neighbours of many vertices at once, by direction, edge type and kind', async () => {
      for (const id of ['t1', 't2', 't3']) await graph.createTask({ id, name: id });
      for (const id of ['r1', 'r2', 'r3']) await graph.createResult({ id, data: {} });
      for (const [from, to, type] of [['t1', 'r2', 'produced'], ['t1', 'r1', 'produced'], ['t1', 't2', 'depends_on'], ['t3', 'r2', 'produced'], ['t3', 'r3', 'cites']] as const) {
        await graph.link(from, to, type, null);
      }
      const results = await handle.store.neighbours(['t1', 't2', 't3'], { direction: 'OUTBOUND', vertexKind: 'result' });
      assert.deepEqual(Object.fromEntries([...results].map(([k, v]) => [k, v.map((n) => n.vertex.id)])), { t1: ['r1', 'r2'], t3: ['r2', 'r3'] });
      const produced = await handle.store.neighbours(['t3'], { direction: 'OUTBOUND', edgeTypes: ['produced'] });
      assert.deepEqual(produced.get('t3')!.map((n) => [n.vertex.id, n.edge.type, n.edge.from]), [['r2', 'produced', 't3']]);
      const producers = await handle.store.neighbours(['r1', 'r2', 'r3'], { direction: 'INBOUND', edgeTypes: ['produced'], vertexKind: 'task' });
      assert.deepEqual(Object.fromEntries([...producers].map(([k, v]) => [k, v.map((n) => n.vertex.id)])), { r1: ['t1'], r2: ['t1', 't3'] });
      const any = await handle.store.neighbours(['t2'], { direction: 'ANY' });
      assert.deepEqual(any.get('t2')!.map((n) => n.vertex.id), ['t1']);
    });

    graphTraversalCases(() => graph, () => handle.store);
  });
}
