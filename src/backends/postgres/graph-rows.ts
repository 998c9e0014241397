import type { JsonObject } from '../../domain/evaluation.ts';
import type { RelationshipRecord, VertexRecord } from '../../domain/graph.ts';

export const VERTEX_COLUMNS = 'id, kind, name, status, data, created_at';
export const EDGE_COLUMNS = 'id, from_id, to_id, type, data, created_at';

export interface VertexRow {
  id: string;
  kind: 'task' | 'result';
  name: string | null;
  status: string | null;
  data: JsonObject;
  /** A Date from a column, an ISO string from inside json_agg. */
  created_at: Date | string;
}

export interface EdgeRow {
  id: string;
  from_id: string;
  to_id: string;
  type: string;
  data: JsonObject;
  created_at: Date | string;
}

export function toVertex(r: VertexRow): VertexRecord {
  const createdAt = new Date(r.created_at);
  if (r.kind === 'task') return { kind: 'task', id: r.id, name: r.name ?? '', status: r.status, data: r.data, createdAt };
  return { kind: 'result', id: r.id, data: r.data, createdAt };
}

export function toEdge(r: EdgeRow): RelationshipRecord {
  return { id: r.id, from: r.from_id, to: r.to_id, type: r.type, data: r.data, createdAt: new Date(r.created_at) };
}

export function vertexValues(v: VertexRecord): unknown[] {
  return [v.id, v.kind, v.kind === 'task' ? v.name : null, v.kind === 'task' ? v.status : null, JSON.stringify(v.data), v.createdAt];
}
