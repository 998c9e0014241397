import { performance } from 'node:perf_hooks';
import type { Neighbour, PathRecord, RelationshipRecord, VertexRecord } from '../../domain/graph.ts';
import type { BackendStatus } from '../types.ts';
import type { GraphStore, LinkOutcome } from '../graph-types.ts';
import { EDGE_COLUMNS, toEdge, toVertex, VERTEX_COLUMNS, vertexValues, type EdgeRow, type VertexRow } from './graph-rows.ts';
import { neighboursSql, traversalSql } from './graph-sql.ts';
import { Params, type SqlClient } from './sql-client.ts';

const FOREIGN_KEY_VIOLATION = '23503';

interface TraversalRow {
  start_found: boolean;
  visited: number;
  paths: [string[], string[]][];
  vertices: VertexRow[];
  edges: EdgeRow[];
}

type NeighbourRow = VertexRow & { source_id: string; e_id: string; from_id: string; to_id: string; type: string; e_data: EdgeRow['data']; e_created_at: Date };

/** The graph in PostgreSQL (vertex and edge tables): the same SQL on `pg` and PGlite. */
export function createPostgresGraphStore(sql: SqlClient): GraphStore {
  // Statements that only read: a replica may answer them (read-routing.ts), writes stay on `sql`.
  const reads = sql.reads ?? sql;
  const getVertices = async (ids: readonly string[]) => {
    if (ids.length === 0) return new Map<string, VertexRecord>();
    const { rows } = await reads.query<VertexRow>(`SELECT ${VERTEX_COLUMNS} FROM graph_vertices WHERE id = ANY($1::text[])`, [ids]);
    return new Map(rows.map((r) => [r.id, toVertex(r)]));
  };

  return {
    kind: sql.kind,
    getVertices,

    async createVertex(vertex) {
      const { rows } = await sql.query<VertexRow>(
        `INSERT INTO graph_vertices (${VERTEX_COLUMNS}) VALUES ($1, $2, $3, $4, $5::jsonb, $6)
         ON CONFLICT (id) DO NOTHING RETURNING ${VERTEX_COLUMNS}`,
        vertexValues(vertex),
      );
      if (rows[0]) return { created: true, vertex: toVertex(rows[0]) };
      return { created: false, vertex: (await getVertices([vertex.id])).get(vertex.id)! };
    },

    async link(edge: RelationshipRecord): Promise<LinkOutcome> {
      try {
        const { rows } = await sql.query<EdgeRow>(
          `INSERT INTO graph_edges (${EDGE_COLUMNS}) VALUES ($1, $2, $3, $4, $5::jsonb, $6)
           ON CONFLICT (from_id, to_id, type) DO NOTHING RETURNING ${EDGE_COLUMNS}`,
          [edge.id, edge.from, edge.to, edge.type, JSON.stringify(edge.data), edge.createdAt],
        );
        if (rows[0]) return { outcome: 'created', edge: toEdge(rows[0]) };
      } catch (err) {
        if ((err as { code?: string }).code !== FOREIGN_KEY_VIOLATION) throw err;
        const found = await getVertices([edge.from, edge.to]);
        return { outcome: 'missing-vertex', id: found.has(edge.from) ? edge.to : edge.from };
      }
      // ON CONFLICT DO NOTHING waited for any competing insert to commit, so the edge is visible now.
      const { rows } = await sql.query<EdgeRow>(`SELECT ${EDGE_COLUMNS} FROM graph_edges WHERE from_id = $1 AND to_id = $2 AND type = $3`, [edge.from, edge.to, edge.type]);
      return { outcome: 'existing', edge: toEdge(rows[0]!) };
    },

    async unlink(id) {
      const { rowCount } = await sql.query('DELETE FROM graph_edges WHERE id = $1', [id]);
      return rowCount > 0;
    },

    async neighbours(ids, query) {
      const p = new Params();
      const { rows } = await reads.query<NeighbourRow>(neighboursSql([...new Set(ids)], query, p), p.values);
      const result = new Map<string, Neighbour[]>();
      for (const r of rows) {
        const edge = toEdge({ id: r.e_id, from_id: r.from_id, to_id: r.to_id, type: r.type, data: r.e_data, created_at: r.e_created_at });
        const neighbour = { edge, vertex: toVertex(r) };
        const list = result.get(r.source_id);
        if (list) list.push(neighbour);
        else result.set(r.source_id, [neighbour]);
      }
      return result;
    },

    async traverse(query) {
      const p = new Params();
      const { rows } = await reads.query<TraversalRow>(traversalSql(query, p), p.values);
      const row = rows[0]!;
      if (!row.start_found) return null;
      if (row.visited > query.maxVisits) return { paths: [], overBudget: true };
      const vertices = new Map(row.vertices.map((v) => [v.id, toVertex(v)]));
      const edges = new Map(row.edges.map((e) => [e.id, toEdge(e)]));
      const paths: PathRecord[] = row.paths.map(([vertexIds, edgeIds]) => ({
        vertices: vertexIds.map((id) => vertices.get(id)!),
        edges: edgeIds.map((id) => edges.get(id)!),
      }));
      return { paths, overBudget: false };
    },

    async status(): Promise<BackendStatus> {
      const started = performance.now();
      const base = { name: sql.kind, kind: sql.kind, role: 'graph' };
      try {
        const { rows } = await sql.query<Record<string, number>>(
          `SELECT (SELECT count(*) FROM graph_vertices)::int AS vertices, (SELECT count(*) FROM graph_edges)::int AS edges,
                  (pg_total_relation_size('graph_vertices') + pg_total_relation_size('graph_edges'))::float8 AS size_bytes`,
        );
        return { ...base, healthy: true, latencyMs: performance.now() - started, metrics: rows[0] ?? {} };
      } catch (err) {
        return { ...base, healthy: false, latencyMs: null, metrics: {}, error: String(err) };
      }
    },

    // The SQL client belongs to the registry (the primary store shares it), which closes it.
    close: async () => {},
  };
}
