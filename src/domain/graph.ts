import { randomBytes } from 'node:crypto';
import type { JsonObject } from './evaluation.ts';

/**
 * The task/result graph (seed 000's ArangoDB pattern): tasks and results are vertices, typed
 * relationships are directed edges. Tasks and results share one id space, so `link(from, to)`
 * never has to ask which kind an id names.
 */

export const DIRECTIONS = ['OUTBOUND', 'INBOUND', 'ANY'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** The edge type seed 000 uses from a task to the result it produced; `Result.producedBy` follows it. */
export const PRODUCED = 'produced';

export interface TaskRecord {
  kind: 'task';
  id: string;
  name: string;
  status: string | null;
  data: JsonObject;
  createdAt: Date;
}

export interface ResultRecord {
  kind: 'result';
  id: string;
  data: JsonObject;
  createdAt: Date;
}

export type VertexRecord = TaskRecord | ResultRecord;
export type VertexKind = VertexRecord['kind'];

export interface RelationshipRecord {
  id: string;
  from: string;
  to: string;
  type: string;
  data: JsonObject;
  createdAt: Date;
}

/** A walk from the start vertex: `vertices[0]` is the start, `edges[i]` joins vertices i and i+1. */
export interface PathRecord {
  vertices: VertexRecord[];
  edges: RelationshipRecord[];
}

/** An edge seen from one of its ends, with the vertex at the other end. */
export interface Neighbour {
  edge: RelationshipRecord;
  vertex: VertexRecord;
}

export function generateGraphId(prefix: 'task' | 'result' | 'rel'): string {
  return `${prefix}_${randomBytes(10).toString('hex')}`;
}

/**
 * Ids compare by code point, as `COLLATE "C"` does in PostgreSQL (ArangoDB's own string order is
 * locale-aware, so its queries compare hex-encoded ids to get the same order).
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareIdLists(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareIds(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * The documented order of traversal results, the same on every backend: fewer edges first, then
 * by the ids of the vertices along the path, then by the ids of its edges (parallel edges).
 */
export function comparePaths(a: PathRecord, b: PathRecord): number {
  return (
    a.edges.length - b.edges.length ||
    compareIdLists(a.vertices.map((v) => v.id), b.vertices.map((v) => v.id)) ||
    compareIdLists(a.edges.map((e) => e.id), b.edges.map((e) => e.id))
  );
}

/** Neighbours are listed by the other vertex's id, then by edge id. */
export function compareNeighbours(a: Neighbour, b: Neighbour): number {
  return compareIds(a.vertex.id, b.vertex.id) || compareIds(a.edge.id, b.edge.id);
}
