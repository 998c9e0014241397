import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AqlQuery } from 'arangojs/aql';
import * as q from '../../src/backends/arango/queries.ts';

/**
 * The AQL each ArangoDB graph call sends, checked as text and bind variables. No ArangoDB server
 * can be installed on this machine, so this is what can be verified here; the graph contract suite
 * (test/backends/arango-graph.test.ts) runs the same store against a real server when ARANGO_URL is set.
 */
const text = (query: AqlQuery) => query.query.replace(/\s+/g, ' ').trim();
const HOSTILE = 'x" || true || "';

/** No value ever reaches the query text: every one is a bind variable. */
function assertBoundOnly(query: AqlQuery, ...values: string[]): void {
  for (const v of values) assert.ok(!query.query.includes(v), `${JSON.stringify(v)} must be bound, not inlined`);
}

describe('AQL built by the ArangoDB graph store', () => {
  it('reads vertices from both collections by key', () => {
    const query = q.getVerticesQuery(['t1', HOSTILE]);
    assert.equal(text(query), 'FOR d IN UNION(DOCUMENT("tasks", @value0), DOCUMENT("results", @value0)) RETURN d');
    assert.deepEqual(query.bindVars, { value0: ['t1', HOSTILE] });
    assertBoundOnly(query, HOSTILE);
  });

  it('inserts a task into tasks and a result into results, data nested under `data`', () => {
    const createdAt = new Date('2024-07-01T12:00:00.000Z');
    const task = q.insertVertexQuery({ kind: 'task', id: 't1', name: HOSTILE, status: null, data: { _key: 'evil' }, createdAt });
    assert.equal(text(task), 'INSERT @value0 INTO tasks RETURN NEW');
    assert.deepEqual(task.bindVars, { value0: { _key: 't1', name: HOSTILE, status: null, data: { _key: 'evil' }, created_at: '2024-07-01T12:00:00.000Z' } });
    const result = q.insertVertexQuery({ kind: 'result', id: 'r1', data: {}, createdAt });
    assert.equal(text(result), 'INSERT @value0 INTO results RETURN NEW');
    assertBoundOnly(task, HOSTILE);
  });

  it('looks up both ends of an edge, then upserts on [_from, _to, type]', () => {
    const ends = q.edgeEndsQuery('t1', 'r1');
    assert.equal(text(ends), 'RETURN { from: (DOCUMENT("tasks", @value0) || DOCUMENT("results", @value0))._id, to: (DOCUMENT("tasks", @value1) || DOCUMENT("results", @value1))._id }');
    assert.deepEqual(ends.bindVars, { value0: 't1', value1: 'r1' });
    const edge = { id: 'rel_1', from: 't1', to: 'r1', type: 'produced', data: { score: 1 }, createdAt: new Date('2024-07-01T12:00:00.000Z') };
    const upsert = q.upsertEdgeQuery(edge, 'tasks/t1', 'results/r1');
    assert.equal(text(upsert), 'UPSERT { _from: @value0, _to: @value1, type: @value2 } INSERT @value3 UPDATE {} IN relationships RETURN { doc: NEW, created: OLD == null }');
    assert.deepEqual(upsert.bindVars, {
      value0: 'tasks/t1',
      value1: 'results/r1',
      value2: 'produced',
      value3: { _key: 'rel_1', _from: 'tasks/t1', _to: 'results/r1', type: 'produced', data: { score: 1 }, created_at: '2024-07-01T12:00:00.000Z' },
    });
  });

  it('removes an edge by key', () => {
    const query = q.removeEdgeQuery(HOSTILE);
    assert.equal(text(query), 'FOR e IN relationships FILTER e._key == @value0 REMOVE e IN relationships RETURN OLD._key');
    assert.deepEqual(query.bindVars, { value0: HOSTILE });
  });

  it('batches neighbour lookups, with the direction keyword chosen from a fixed set', () => {
    const plain = q.neighboursQuery(['t1', 't2'], { direction: 'OUTBOUND' });
    assert.equal(
      text(plain),
      'WITH tasks, results FOR id IN @value0 LET start = (DOCUMENT("tasks", id) || DOCUMENT("results", id)) FILTER start != null ' +
        'FOR v, e IN 1..1 OUTBOUND start relationships RETURN { source: id, vertex: v, edge: e }',
    );
    assert.deepEqual(plain.bindVars, { value0: ['t1', 't2'] });
    const filtered = q.neighboursQuery(['r1'], { direction: 'INBOUND', edgeTypes: ['produced', HOSTILE], vertexKind: 'task' });
    assert.match(text(filtered), / INBOUND start relationships FILTER e\.type IN @value1 FILTER IS_SAME_COLLECTION\(@value2, v\) RETURN /);
    assert.deepEqual(filtered.bindVars, { value0: ['r1'], value1: ['produced', HOSTILE], value2: 'tasks' });
    assert.match(text(q.neighboursQuery(['x'], { direction: 'ANY' })), / 1\.\.1 ANY start relationships /);
    assertBoundOnly(filtered, HOSTILE);
  });

  it('traverses in one query: simple paths, breadth first, a visit budget, then the documented order', () => {
    const query = q.traversalQuery({ start: 't1', direction: 'INBOUND', minDepth: 1, maxDepth: 5, edgeTypes: ['produced'], limit: 50, maxVisits: 1000 });
    assert.equal(
      text(query),
      'WITH tasks, results LET start = (DOCUMENT("tasks", @value0) || DOCUMENT("results", @value0)) ' +
        'LET visited = (FOR s IN (start == null ? [] : [start]) FOR v, e, p IN 1..@value1 INBOUND s relationships ' +
        'OPTIONS { order: "bfs", uniqueVertices: "path" } FILTER p.edges[*].type ALL IN @value2 LIMIT @value3 RETURN p) ' +
        'LET page = ( FOR p IN APPEND(start != null && @value4 == 0 ? [{ vertices: [start], edges: [] }] : [], visited) ' +
        'FILTER LENGTH(p.edges) >= @value4 ' +
        'SORT LENGTH(p.edges), p.vertices[* RETURN TO_HEX(CURRENT._key)], p.edges[* RETURN TO_HEX(CURRENT._key)] ' +
        'LIMIT @value5 RETURN p) RETURN { startFound: start != null, visited: LENGTH(visited), paths: page }',
    );
    assert.deepEqual(query.bindVars, { value0: 't1', value1: 5, value2: ['produced'], value3: 1001, value4: 1, value5: 50 });
  });

  it('walks nothing at maxDepth 0 (1..0 is not a valid AQL depth) and drops the type filter when absent', () => {
    const query = q.traversalQuery({ start: 't1', direction: 'ANY', minDepth: 0, maxDepth: 0, limit: 10, maxVisits: 10 });
    assert.match(text(query), /LET visited = \[\] LET page/);
    assert.ok(!query.query.includes('ALL IN'));
    assert.deepEqual(query.bindVars, { value0: 't1', value1: 0, value2: 10 });
  });
});
