import { comparePaths, type Neighbour, type PathRecord, type VertexRecord } from '../../domain/graph.ts';
import type { TraversalQuery, TraversalResult } from '../graph-types.ts';

/** Edge ids by vertex id, for each direction of travel. */
export interface EdgeIndex {
  out: Map<string, Set<string>>;
  in: Map<string, Set<string>>;
}

/**
 * Breadth-first walk over simple paths, level by level, as the recursive CTE in PostgreSQL and
 * AQL's `order: "bfs", uniqueVertices: "path"` do: a vertex already on the path is never entered
 * again, so a cycle ends the path instead of looping. Every visited path of length >= 1 counts
 * against `maxVisits`; past it the walk stops and reports it, rather than return a partial answer.
 */
export function walkPaths(start: VertexRecord, q: TraversalQuery, neighbours: (id: string) => Neighbour[]): TraversalResult {
  const collected: PathRecord[] = q.minDepth === 0 ? [{ vertices: [start], edges: [] }] : [];
  let frontier: PathRecord[] = [{ vertices: [start], edges: [] }];
  let visits = 0;
  for (let depth = 1; depth <= q.maxDepth && frontier.length > 0; depth++) {
    const next: PathRecord[] = [];
    for (const path of frontier) {
      const head = path.vertices[path.vertices.length - 1]!;
      for (const { edge, vertex } of neighbours(head.id)) {
        if (path.vertices.some((v) => v.id === vertex.id)) continue;
        if (++visits > q.maxVisits) return { paths: [], overBudget: true };
        next.push({ vertices: [...path.vertices, vertex], edges: [...path.edges, edge] });
      }
    }
    if (depth >= q.minDepth) collected.push(...next);
    frontier = next;
  }
  return { paths: collected.sort(comparePaths).slice(0, q.limit), overBudget: false };
}
