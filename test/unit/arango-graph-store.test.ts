import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AqlQuery } from 'arangojs/aql';
import { createArangoGraphStore, type AqlRunner } from '../../src/backends/arango/graph-store.ts';

/**
 * A stand-in for arangojs's Database that records the AQL each call sends and replies with the
 * rows queued for it. It executes nothing: it checks which queries the store sends, in what order,
 * and how it reads the replies, not whether ArangoDB would answer them that way.
 */
function queryRecorder(...replies: (unknown[] | Error)[]): AqlRunner & { sent: AqlQuery[] } {
  const sent: AqlQuery[] = [];
  return {
    sent,
    async query<T>(query: AqlQuery<T>) {
      sent.push(query);
      const reply = replies.shift() ?? [];
      if (reply instanceof Error) throw reply;
      return { all: async () => reply as T[] };
    },
  };
}

const uniqueViolation = () => Object.assign(new Error('unique constraint violated'), { errorNum: 1210 });
const first = (text: string) => text.trim().split(/\s+/).slice(0, 2).join(' ');
const taskDoc = { _key: 't1', _id: 'tasks/t1', name: 'build', status: null, data: {}, created_at: '2024-07-01T12:00:00.000Z' };
const resultDoc = { _key: 'r1', _id: 'results/r1', data: { ok: true }, created_at: '2024-07-01T12:00:01.000Z' };
const edgeDoc = { _key: 'rel_1', _from: 'tasks/t1', _to: 'results/r1', type: 'produced', data: {}, created_at: '2024-07-01T12:00:02.000Z' };

describe('ArangoDB graph store, against a query recorder (no server)', () => {
  it('reads before inserting a vertex, and takes the stored one when an insert loses a race', async () => {
    const db = queryRecorder([], uniqueViolation(), [taskDoc]);
    const { created, vertex } = await createArangoGraphStore(db).createVertex({ kind: 'task', id: 't1', name: 'build', status: null, data: {}, createdAt: new Date() });
    assert.deepEqual(db.sent.map((s) => first(s.query)), ['FOR d', 'INSERT @value0', 'FOR d']);
    assert.equal(created, false);
    assert.deepEqual(vertex, { kind: 'task', id: 't1', name: 'build', status: null, data: {}, createdAt: new Date(taskDoc.created_at) });
  });

  it('reports a missing end without upserting, and retries an upsert that raced', async () => {
    const missing = queryRecorder([{ from: 'tasks/t1', to: null }]);
    const edge = { id: 'rel_2', from: 't1', to: 'nope', type: 'produced', data: {}, createdAt: new Date() };
    assert.deepEqual(await createArangoGraphStore(missing).link(edge), { outcome: 'missing-vertex', id: 'nope' });
    assert.equal(missing.sent.length, 1);

    const raced = queryRecorder([{ from: 'tasks/t1', to: 'results/r1' }], uniqueViolation(), [{ doc: edgeDoc, created: false }]);
    const linked = await createArangoGraphStore(raced).link({ ...edge, to: 'r1' });
    assert.equal(linked.outcome, 'existing');
    assert.deepEqual(raced.sent.map((s) => first(s.query)), ['RETURN {', 'UPSERT {', 'UPSERT {']);
    assert.deepEqual(raced.sent[1]!.bindVars['value0'], 'tasks/t1');
  });

  it('maps a traversal reply to paths, and a missing start to null', async () => {
    const db = queryRecorder([{ startFound: true, visited: 1, paths: [{ vertices: [taskDoc, resultDoc], edges: [edgeDoc] }] }], [{ startFound: false, visited: 0, paths: [] }]);
    const store = createArangoGraphStore(db);
    const query = { start: 't1', direction: 'OUTBOUND' as const, minDepth: 1, maxDepth: 1, limit: 10, maxVisits: 100 };
    const result = await store.traverse(query);
    assert.deepEqual(result!.paths.map((p) => [p.vertices.map((v) => `${v.kind}:${v.id}`), p.edges.map((e) => `${e.from}-${e.type}->${e.to}`)]), [[['task:t1', 'result:r1'], ['t1-produced->r1']]]);
    assert.equal(await store.traverse(query), null);
    assert.equal(db.sent.length, 2, 'one query per traversal');
  });

  it('flags a walk past the visit budget, and orders neighbours by code point whatever the server sent', async () => {
    const over = queryRecorder([{ startFound: true, visited: 101, paths: [] }]);
    assert.deepEqual(await createArangoGraphStore(over).traverse({ start: 't1', direction: 'ANY', minDepth: 1, maxDepth: 5, limit: 10, maxVisits: 100 }), { paths: [], overBudget: true });
    const lower = { ...resultDoc, _key: 'a', _id: 'results/a' };
    const upper = { ...resultDoc, _key: 'B', _id: 'results/B' };
    const db = queryRecorder([{ source: 't1', vertex: lower, edge: edgeDoc }, { source: 't1', vertex: upper, edge: { ...edgeDoc, _key: 'rel_0' } }]);
    const found = await createArangoGraphStore(db).neighbours(['t1', 't1'], { direction: 'OUTBOUND' });
    assert.deepEqual(found.get('t1')!.map((n) => n.vertex.id), ['B', 'a'], '"B" < "a" by code point, as in PostgreSQL COLLATE "C"');
    assert.deepEqual(db.sent[0]!.bindVars['value0'], ['t1'], 'duplicate ids are sent once');
  });

  it('wraps driver failures in a BackendError naming the backend and the operation', async () => {
    const db = queryRecorder(new Error('connect ECONNREFUSED 127.0.0.1:8529'));
    await assert.rejects(createArangoGraphStore(db).unlink('rel_1'), /^BackendError: \[arango\] unlinking failed: connect ECONNREFUSED/);
  });
});
