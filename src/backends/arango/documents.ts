import type { JsonObject } from '../../domain/evaluation.ts';
import type { RelationshipRecord, VertexRecord } from '../../domain/graph.ts';

/**
 * Documents as seed 000 stores them: the id is the `_key`, times are ISO strings in `created_at`.
 * A record's `data` stays nested under `data`, so a client's keys (even `_key` or `_from`) can
 * never overwrite the document's own attributes.
 */

export interface VertexDocument {
  _key: string;
  _id: string;
  name?: string;
  status?: string | null;
  data: JsonObject;
  created_at: string;
}

export interface EdgeDocument {
  _key: string;
  _from: string;
  _to: string;
  type: string;
  data: JsonObject;
  created_at: string;
}

export function vertexDocument(v: VertexRecord): Omit<VertexDocument, '_id'> {
  const base = { _key: v.id, data: v.data, created_at: v.createdAt.toISOString() };
  return v.kind === 'task' ? { ...base, name: v.name, status: v.status } : base;
}

export function edgeDocument(e: RelationshipRecord, fromId: string, toId: string): EdgeDocument {
  return { _key: e.id, _from: fromId, _to: toId, type: e.type, data: e.data, created_at: e.createdAt.toISOString() };
}

/** `tasks/t1` -> `t1`. */
function keyOf(documentId: string): string {
  return documentId.slice(documentId.indexOf('/') + 1);
}

export function toVertex(d: VertexDocument): VertexRecord {
  const createdAt = new Date(d.created_at);
  if (d._id.startsWith('tasks/')) return { kind: 'task', id: d._key, name: d.name ?? '', status: d.status ?? null, data: d.data, createdAt };
  return { kind: 'result', id: d._key, data: d.data, createdAt };
}

export function toEdge(d: EdgeDocument): RelationshipRecord {
  return { id: d._key, from: keyOf(d._from), to: keyOf(d._to), type: d.type, data: d.data, createdAt: new Date(d.created_at) };
}
