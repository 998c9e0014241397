import { performance } from 'node:perf_hooks';
import type { AqlQuery } from 'arangojs/aql';
import { compareNeighbours, type Neighbour, type PathRecord, type VertexRecord } from '../../domain/graph.ts';
import { BackendError } from '../../errors.ts';
import type { GraphStore, LinkOutcome } from '../graph-types.ts';
import type { BackendStatus } from '../types.ts';
import { toEdge, toVertex, type EdgeDocument, type VertexDocument } from './documents.ts';
import * as q from './queries.ts';

/** The one thing the store needs from an arangojs `Database`: running an AQL query to completion. */
export interface AqlRunner {
  query<T>(query: AqlQuery<T>): Promise<{ all(): Promise<T[]> }>;
}

const UNIQUE_CONSTRAINT_VIOLATED = 1210;

function isUniqueViolation(err: unknown): boolean {
  return (err as { errorNum?: number } | null)?.errorNum === UNIQUE_CONSTRAINT_VIOLATED;
}

/**
 * The graph in ArangoDB, as seed 000 lays it out. Not run on this project's machines (no
 * ArangoDB server can be installed there): its queries are unit-tested as text and bind
 * variables, and the graph contract suite runs against it wherever ARANGO_URL is set.
 */
export function createArangoGraphStore(db: AqlRunner, label = 'arango'): GraphStore {
  const run = async <T>(query: AqlQuery, what: string): Promise<T[]> => {
    try {
      return await (await db.query<T>(query)).all();
    } catch (cause) {
      if (isUniqueViolation(cause)) throw cause;
      throw new BackendError(label, `${what} failed: ${(cause as Error).message}`, { cause });
    }
  };
  const getVertices = async (ids: readonly string[]) => {
    if (ids.length === 0) return new Map<string, VertexRecord>();
    const docs = await run<VertexDocument>(q.getVerticesQuery(ids), 'reading vertices');
    return new Map(docs.map((d) => [d._key, toVertex(d)]));
  };
  const upsertEdge = (edge: Parameters<GraphStore['link']>[0], from: string, to: string) =>
    run<{ doc: EdgeDocument; created: boolean }>(q.upsertEdgeQuery(edge, from, to), 'linking');

  return {
    kind: 'arango',
    getVertices,

    async createVertex(vertex) {
      const existing = (await getVertices([vertex.id])).get(vertex.id);
      if (existing) return { created: false, vertex: existing };
      try {
        const [doc] = await run<VertexDocument>(q.insertVertexQuery(vertex), 'creating a vertex');
        return { created: true, vertex: toVertex(doc!) };
      } catch (err) {
        // Another caller created it between the read and the insert: theirs is the stored one.
        // (Tasks and results are two collections, so a task and a result created with the same
        // id at the same instant could both succeed; PostgreSQL's single table cannot allow it.)
        if (!isUniqueViolation(err)) throw err;
        return { created: false, vertex: (await getVertices([vertex.id])).get(vertex.id)! };
      }
    },

    async link(edge): Promise<LinkOutcome> {
      const [ends] = await run<{ from: string | null; to: string | null }>(q.edgeEndsQuery(edge.from, edge.to), 'reading edge ends');
      if (!ends?.from) return { outcome: 'missing-vertex', id: edge.from };
      if (!ends.to) return { outcome: 'missing-vertex', id: edge.to };
      const [linked] = await upsertEdge(edge, ends.from, ends.to).catch((err: unknown) => {
        // Two UPSERTs raced to insert the same edge; the retry finds the winner's.
        if (isUniqueViolation(err)) return upsertEdge(edge, ends.from!, ends.to!);
        throw err;
      });
      return { outcome: linked!.created ? 'created' : 'existing', edge: toEdge(linked!.doc) };
    },

    async unlink(id) {
      return (await run<string>(q.removeEdgeQuery(id), 'unlinking')).length > 0;
    },

    async neighbours(ids, query) {
      const rows = await run<{ source: string; vertex: VertexDocument; edge: EdgeDocument }>(q.neighboursQuery([...new Set(ids)], query), 'reading neighbours');
      const result = new Map<string, Neighbour[]>();
      for (const r of rows) {
        const list = result.get(r.source) ?? [];
        list.push({ vertex: toVertex(r.vertex), edge: toEdge(r.edge) });
        result.set(r.source, list);
      }
      for (const list of result.values()) list.sort(compareNeighbours);
      return result;
    },

    async traverse(query) {
      type Row = { startFound: boolean; visited: number; paths: { vertices: VertexDocument[]; edges: EdgeDocument[] }[] };
      const [row] = await run<Row>(q.traversalQuery(query), 'traversing');
      if (!row?.startFound) return null;
      if (row.visited > query.maxVisits) return { paths: [], overBudget: true };
      const paths: PathRecord[] = row.paths.map((p) => ({ vertices: p.vertices.map(toVertex), edges: p.edges.map(toEdge) }));
      return { paths, overBudget: false };
    },

    async status(): Promise<BackendStatus> {
      const started = performance.now();
      const base = { name: label, kind: 'arango', role: 'graph' };
      try {
        const [counts] = await run<Record<string, number>>(q.countsQuery(), 'counting');
        return { ...base, healthy: true, latencyMs: performance.now() - started, metrics: counts ?? {} };
      } catch (err) {
        return { ...base, healthy: false, latencyMs: null, metrics: {}, error: String(err) };
      }
    },

    close: async () => {},
  };
}
