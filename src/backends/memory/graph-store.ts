import { compareNeighbours, type Neighbour, type RelationshipRecord, type VertexRecord } from '../../domain/graph.ts';
import type { GraphStore, NeighbourQuery } from '../graph-types.ts';
import { walkPaths, type EdgeIndex } from './graph-walk.ts';

/**
 * The graph in process memory, for tests and for trying the API without a database. It keeps
 * both adjacency directions so every lookup costs what an index lookup would in PostgreSQL.
 */
export function createMemoryGraphStore(): GraphStore {
  const vertices = new Map<string, VertexRecord>();
  const edges = new Map<string, RelationshipRecord>();
  const index: EdgeIndex = { out: new Map(), in: new Map() };
  const copy = <T>(value: T): T => structuredClone(value);

  const adjacent = (id: string, query: Omit<NeighbourQuery, 'vertexKind'>): Neighbour[] => {
    const found: Neighbour[] = [];
    const sides = query.direction === 'ANY' ? (['out', 'in'] as const) : query.direction === 'OUTBOUND' ? (['out'] as const) : (['in'] as const);
    for (const side of sides) {
      for (const edgeId of index[side].get(id) ?? []) {
        const edge = edges.get(edgeId)!;
        if (query.edgeTypes && !query.edgeTypes.includes(edge.type)) continue;
        found.push({ edge, vertex: vertices.get(side === 'out' ? edge.to : edge.from)! });
      }
    }
    return found;
  };
  const addToIndex = (side: 'out' | 'in', vertexId: string, edgeId: string) => {
    const set = index[side].get(vertexId) ?? new Set<string>();
    index[side].set(vertexId, set.add(edgeId));
  };

  return {
    kind: 'memory',

    async createVertex(vertex) {
      const existing = vertices.get(vertex.id);
      if (existing) return { created: false, vertex: copy(existing) };
      vertices.set(vertex.id, copy(vertex));
      return { created: true, vertex: copy(vertex) };
    },

    async getVertices(ids) {
      const found = new Map<string, VertexRecord>();
      for (const id of ids) {
        const v = vertices.get(id);
        if (v) found.set(id, copy(v));
      }
      return found;
    },

    async link(edge) {
      for (const id of [edge.from, edge.to]) if (!vertices.has(id)) return { outcome: 'missing-vertex', id };
      for (const edgeId of index.out.get(edge.from) ?? []) {
        const other = edges.get(edgeId)!;
        if (other.to === edge.to && other.type === edge.type) return { outcome: 'existing', edge: copy(other) };
      }
      edges.set(edge.id, copy(edge));
      addToIndex('out', edge.from, edge.id);
      addToIndex('in', edge.to, edge.id);
      return { outcome: 'created', edge: copy(edge) };
    },

    async unlink(id) {
      const edge = edges.get(id);
      if (!edge) return false;
      edges.delete(id);
      index.out.get(edge.from)?.delete(id);
      index.in.get(edge.to)?.delete(id);
      return true;
    },

    async neighbours(ids, query) {
      const result = new Map<string, Neighbour[]>();
      for (const id of new Set(ids)) {
        const list = adjacent(id, query).filter((n) => !query.vertexKind || n.vertex.kind === query.vertexKind);
        if (list.length) result.set(id, copy(list.sort(compareNeighbours)));
      }
      return result;
    },

    async traverse(query) {
      const start = vertices.get(query.start);
      if (!start) return null;
      const result = walkPaths(start, query, (id) => adjacent(id, query));
      return copy(result);
    },

    async status() {
      return { name: 'memory', kind: 'memory', role: 'graph', healthy: true, latencyMs: 0, metrics: { vertices: vertices.size, edges: edges.size } };
    },

    async close() {
      vertices.clear();
      edges.clear();
      index.out.clear();
      index.in.clear();
    },
  };
}
