import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { GraphStore } from '../../src/backends/graph-types.ts';
import { testConfig } from '../../src/config.ts';
import type { PathRecord } from '../../src/domain/graph.ts';
import { GraphService } from '../../src/services/graph.ts';
import { rejectsWithCode } from '../support/assert.ts';

const pathIds = (paths: readonly PathRecord[]) => paths.map((p) => p.vertices.map((v) => v.id).join('>'));

/**
 * t1 -produced-> r1 -feeds-> t2 -produced-> r3 -feeds-> t1 is a cycle; t1 and t3 both produced
 * r2, and t3 also cites r2 (two parallel edges of different types).
 */
async function buildFixture(graph: GraphService): Promise<void> {
  for (const id of ['t1', 't2', 't3']) await graph.createTask({ id, name: `task ${id}` });
  for (const id of ['r1', 'r2', 'r3']) await graph.createResult({ id, data: { id } });
  const edges = [['t1', 'r1', 'produced'], ['t1', 'r2', 'produced'], ['r1', 't2', 'feeds'], ['t2', 'r3', 'produced'], ['r3', 't1', 'feeds'], ['t3', 'r2', 'produced'], ['t3', 'r2', 'cites']] as const;
  for (const [from, to, type] of edges) await graph.link(from, to, type, { from, to });
}

/** Each edge joins the vertices on either side of it, in the direction walked. */
function assertConnected(paths: readonly PathRecord[], direction: 'OUTBOUND' | 'INBOUND' | 'ANY'): void {
  for (const p of paths) {
    assert.equal(p.edges.length, p.vertices.length - 1);
    p.edges.forEach((e, i) => {
      const [a, b] = [p.vertices[i]!.id, p.vertices[i + 1]!.id];
      const forward = e.from === a && e.to === b;
      const backward = e.from === b && e.to === a;
      assert.ok(direction === 'OUTBOUND' ? forward : direction === 'INBOUND' ? backward : forward || backward, `edge ${e.id} joins ${a} and ${b}`);
    });
    assert.equal(new Set(p.vertices.map((v) => v.id)).size, p.vertices.length, 'no vertex twice on a path');
  }
}

/** Traversal cases of the GraphStore contract; registered inside its describe block. */
export function graphTraversalCases(service: () => GraphService, store: () => GraphStore): void {
  it('walks OUTBOUND, INBOUND and ANY; a cycle ends the path instead of looping', async () => {
    const graph = service();
    await buildFixture(graph);
    const out = await graph.traverse({ from: 't1', maxDepth: 10 });
    assert.deepEqual(pathIds(out), ['t1>r1', 't1>r2', 't1>r1>t2', 't1>r1>t2>r3']);
    assertConnected(out, 'OUTBOUND');
    const inbound = await graph.traverse({ from: 'r2', direction: 'INBOUND', maxDepth: 10 });
    assert.deepEqual(pathIds(inbound), ['r2>t1', 'r2>t3', 'r2>t3', 'r2>t1>r3', 'r2>t1>r3>t2', 'r2>t1>r3>t2>r1']);
    assertConnected(inbound, 'INBOUND');
    const any = await graph.traverse({ from: 't1', direction: 'ANY', maxDepth: 10 });
    assert.deepEqual(pathIds(any), [
      't1>r1', 't1>r2', 't1>r3',
      't1>r1>t2', 't1>r2>t3', 't1>r2>t3', 't1>r3>t2',
      't1>r1>t2>r3', 't1>r3>t2>r1',
    ]);
    assertConnected(any, 'ANY');
    const parallel = any.filter((p) => pathIds([p])[0] === 't1>r2>t3').map((p) => p.edges[1]!);
    assert.deepEqual(parallel.map((e) => e.type).sort(), ['cites', 'produced']);
    assert.ok(parallel[0]!.id < parallel[1]!.id, 'parallel edges are ordered by edge id');
  });

  it('returns whole records along each path', async () => {
    const graph = service();
    await buildFixture(graph);
    const [path] = await graph.traverse({ from: 't1', minDepth: 2, maxDepth: 2 });
    assert.deepEqual(path!.vertices.map((v) => [v.kind, v.id, v.kind === 'task' ? v.name : v.data]), [['task', 't1', 'task t1'], ['result', 'r1', { id: 'r1' }], ['task', 't2', 'task t2']]);
    assert.deepEqual(path!.edges.map((e) => [e.from, e.to, e.type, e.data]), [['t1', 'r1', 'produced', { from: 't1', to: 'r1' }], ['r1', 't2', 'feeds', { from: 'r1', to: 't2' }]]);
    assert.ok(path!.edges[0]!.createdAt instanceof Date && path!.vertices[0]!.createdAt instanceof Date);
  });

  it('honours minDepth, maxDepth, edge types and limit, in the documented order', async () => {
    const graph = service();
    await buildFixture(graph);
    assert.deepEqual(pathIds(await graph.traverse({ from: 't1' })), ['t1>r1', 't1>r2'], 'defaults: OUTBOUND, depth 1..1');
    assert.deepEqual(pathIds(await graph.traverse({ from: 't1', minDepth: 0, maxDepth: 0 })), ['t1']);
    assert.deepEqual(pathIds(await graph.traverse({ from: 't1', minDepth: 2, maxDepth: 3 })), ['t1>r1>t2', 't1>r1>t2>r3']);
    assert.deepEqual(pathIds(await graph.traverse({ from: 't1', maxDepth: 10, edgeTypes: ['produced'] })), ['t1>r1', 't1>r2']);
    assert.deepEqual(pathIds(await graph.traverse({ from: 'r2', direction: 'INBOUND', maxDepth: 10, edgeTypes: ['produced'] })), ['r2>t1', 'r2>t3']);
    assert.deepEqual(pathIds(await graph.traverse({ from: 'r2', direction: 'INBOUND', edgeTypes: ['cites', 'feeds'], maxDepth: 3 })), ['r2>t3']);
    assert.deepEqual(pathIds(await graph.traverse({ from: 't1', direction: 'ANY', maxDepth: 10, limit: 4 })), ['t1>r1', 't1>r2', 't1>r3', 't1>r1>t2']);
    assert.deepEqual(await graph.traverse({ from: 't1', limit: 0 }), []);
    assert.deepEqual(pathIds(await graph.traverse({ from: 't3', direction: 'OUTBOUND', minDepth: 2, maxDepth: 5 })), []);
  });

  it('never loops on a long cycle, whatever the depth', async () => {
    const graph = service();
    const ring = Array.from({ length: 30 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    for (const id of ring) await graph.createTask({ id, name: id });
    for (let i = 0; i < ring.length; i++) await graph.link(ring[i]!, ring[(i + 1) % ring.length]!, 'next', null);
    await graph.link('c00', 'c00', 'retry', null);
    const any = await graph.traverse({ from: 'c00', direction: 'ANY', maxDepth: 10 });
    assert.equal(any.length, 20, 'ten steps each way round the ring; the self-loop never enters c00 again');
    assert.deepEqual(pathIds(await graph.traverse({ from: 'c00', maxDepth: 10, minDepth: 10 })), [ring.slice(0, 11).join('>')]);
  });

  it('caps the depth and the work of a traversal with BAD_USER_INPUT', async () => {
    const graph = service();
    await buildFixture(graph);
    await rejectsWithCode(graph.traverse({ from: 't1', maxDepth: 11 }), 'BAD_USER_INPUT', { field: 'maxDepth', limit: 10 });
    await rejectsWithCode(graph.traverse({ from: 't1', minDepth: 3, maxDepth: 2 }), 'BAD_USER_INPUT', { field: 'minDepth' });
    await rejectsWithCode(graph.traverse({ from: 't1', minDepth: -1 }), 'BAD_USER_INPUT', { field: 'minDepth' });
    await rejectsWithCode(graph.traverse({ from: 't1', limit: 100_000 }), 'BAD_USER_INPUT', { field: 'limit' });
    const tight = (maxVisits: number) => new GraphService(store(), testConfig().limits, { maxDepth: 10, maxVisits });
    await rejectsWithCode(tight(8).traverse({ from: 't1', direction: 'ANY', maxDepth: 10 }), 'BAD_USER_INPUT', { field: 'maxDepth', limit: 8 });
    assert.equal((await tight(9).traverse({ from: 't1', direction: 'ANY', maxDepth: 10 })).length, 9, 'exactly at the budget is allowed');
    await rejectsWithCode(graph.traverse({ from: 'missing' }), 'NOT_FOUND', { id: 'missing' });
  });
}
