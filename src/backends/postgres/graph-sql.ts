import type { Direction } from '../../domain/graph.ts';
import type { NeighbourQuery, TraversalQuery } from '../graph-types.ts';
import type { Params } from './sql-client.ts';

/**
 * The edges one step away from `w.head`, as (edge_id, next_id). Each direction is its own index
 * lookup (graph_edges_out_idx, graph_edges_in_idx); ANY is both, UNION ALL. Only the statement's
 * shape depends on the direction; the edge types are a bound array.
 */
function stepSql(direction: Direction, typesParam: string | null): string {
  const types = typesParam ? ` AND e.type = ANY(${typesParam}::text[])` : '';
  const out = `SELECT e.id AS edge_id, e.to_id AS next_id FROM graph_edges e WHERE e.from_id = w.head${types}`;
  const inbound = `SELECT e.id AS edge_id, e.from_id AS next_id FROM graph_edges e WHERE e.to_id = w.head${types}`;
  if (direction === 'OUTBOUND') return out;
  if (direction === 'INBOUND') return inbound;
  return `${out} UNION ALL ${inbound}`;
}

/**
 * One statement for a whole traversal. `walk` grows simple paths level by level (a recursive CTE
 * is breadth-first); `next_id <> ALL(vertex_ids)` is the cycle check. `visited` reads at most
 * maxVisits + 1 paths, and since a recursive CTE is evaluated only as far as it is read, a walk
 * that is too broad stops there instead of enumerating every path. The page is sorted in the
 * documented order (ids compare as COLLATE "C"), and its vertices and edges come back as JSON.
 */
export function traversalSql(q: TraversalQuery, p: Params): string {
  const start = p.add(q.start);
  const types = q.edgeTypes ? p.add(q.edgeTypes) : null;
  const order = 'depth, vertex_ids COLLATE "C", edge_ids COLLATE "C"';
  return `WITH RECURSIVE
    start AS (SELECT id FROM graph_vertices WHERE id = ${start}),
    walk (head, depth, vertex_ids, edge_ids) AS (
      SELECT id, 0, ARRAY[id], ARRAY[]::text[] COLLATE "C" FROM start
      UNION ALL
      SELECT n.next_id, w.depth + 1, w.vertex_ids || n.next_id, w.edge_ids || n.edge_id
      FROM walk w CROSS JOIN LATERAL (${stepSql(q.direction, types)}) n
      WHERE w.depth < ${p.add(q.maxDepth)}::int AND n.next_id <> ALL (w.vertex_ids)),
    visited AS (SELECT * FROM walk WHERE depth > 0 LIMIT ${p.add(q.maxVisits + 1)}::int),
    page AS (
      SELECT * FROM (
        SELECT id, 0, ARRAY[id], ARRAY[]::text[] COLLATE "C" FROM start WHERE ${p.add(q.minDepth)}::int = 0
        UNION ALL SELECT * FROM visited) AS x (head, depth, vertex_ids, edge_ids)
      WHERE depth >= ${p.add(q.minDepth)}::int
      ORDER BY ${order} LIMIT ${p.add(q.limit)}::int)
  SELECT EXISTS (SELECT 1 FROM start) AS start_found,
         (SELECT count(*)::int FROM visited) AS visited,
         (SELECT coalesce(json_agg(json_build_array(vertex_ids, edge_ids) ORDER BY ${order}), '[]') FROM page) AS paths,
         (SELECT coalesce(json_agg(v), '[]') FROM graph_vertices v WHERE v.id IN (SELECT unnest(vertex_ids) FROM page)) AS vertices,
         (SELECT coalesce(json_agg(e), '[]') FROM graph_edges e WHERE e.id IN (SELECT unnest(edge_ids) FROM page)) AS edges`;
}

/**
 * Neighbours of many vertices in one statement (a DataLoader batch): each source id joined to its
 * edges in the asked direction and to the vertex at the other end.
 */
export function neighboursSql(ids: readonly string[], q: NeighbourQuery, p: Params): string {
  const sources = p.add(ids);
  const filters: string[] = [];
  if (q.edgeTypes) filters.push(`e.type = ANY(${p.add(q.edgeTypes)}::text[])`);
  if (q.vertexKind) filters.push(`v.kind = ${p.add(q.vertexKind)}`);
  const where = filters.length ? `WHERE ${filters.join(' AND ')}` : '';
  const side = (near: string, far: string) =>
    `SELECT s.source_id, e.id AS e_id, e.from_id, e.to_id, e.type, e.data AS e_data, e.created_at AS e_created_at,
            v.id, v.kind, v.name, v.status, v.data, v.created_at
     FROM unnest(${sources}::text[]) AS s (source_id)
     JOIN graph_edges e ON e.${near} = s.source_id JOIN graph_vertices v ON v.id = e.${far} ${where}`;
  const sides = [];
  if (q.direction !== 'INBOUND') sides.push(side('from_id', 'to_id'));
  if (q.direction !== 'OUTBOUND') sides.push(side('to_id', 'from_id'));
  return `SELECT * FROM (${sides.join(' UNION ALL ')}) n ORDER BY source_id, id COLLATE "C", e_id COLLATE "C"`;
}
