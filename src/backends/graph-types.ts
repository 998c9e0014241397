import type { Direction, Neighbour, PathRecord, RelationshipRecord, VertexKind, VertexRecord } from '../domain/graph.ts';
import type { BackendStatus } from './types.ts';

/**
 * The GraphStore capability: tasks and results as vertices, typed edges between them, and
 * bounded traversals. Stores return facts (null, 'missing'); the graph service turns them into
 * typed errors. One contract suite (test/contract/graph-store.ts) runs against every backend.
 */

export type LinkOutcome =
  | { outcome: 'created' | 'existing'; edge: RelationshipRecord }
  /** `id` is the end of the edge that does not exist (`from` is checked first). */
  | { outcome: 'missing-vertex'; id: string };

export interface NeighbourQuery {
  direction: Direction;
  /** Only edges of these types; every type when absent. */
  edgeTypes?: readonly string[];
  /** Only neighbours of this kind; both when absent. */
  vertexKind?: VertexKind;
}

export interface TraversalQuery {
  start: string;
  direction: Direction;
  /** 0 includes the start vertex itself as a path without edges. */
  minDepth: number;
  maxDepth: number;
  /** Every edge of a path must have one of these types; every type when absent. */
  edgeTypes?: readonly string[];
  /** At most this many paths, the first ones in `comparePaths` order. */
  limit: number;
  /**
   * The work budget: how many paths of length 1..maxDepth the walk may visit. Past it the walk
   * stops early and `overBudget` is set, because its result would be incomplete.
   */
  maxVisits: number;
}

export interface TraversalResult {
  paths: PathRecord[];
  overBudget: boolean;
}

export interface GraphStore {
  readonly kind: string;
  /** Inserts unless the id is taken (by a task or a result); either way returns the stored vertex. */
  createVertex(vertex: VertexRecord): Promise<{ created: boolean; vertex: VertexRecord }>;
  getVertices(ids: readonly string[]): Promise<Map<string, VertexRecord>>;
  /**
   * Adds the edge unless one of the same type already joins the same two vertices in the same
   * direction, in which case that edge is returned unchanged (`edge.id` and `edge.data` ignored).
   */
  link(edge: RelationshipRecord): Promise<LinkOutcome>;
  /** Removes the edge; false when there was none with this id. */
  unlink(id: string): Promise<boolean>;
  /** One lookup for many vertices (DataLoader batches), each list in `compareNeighbours` order. */
  neighbours(ids: readonly string[], query: NeighbourQuery): Promise<Map<string, Neighbour[]>>;
  /**
   * Simple paths from the start (no vertex twice, so cycles end the walk), in `comparePaths`
   * order. Null when the start vertex does not exist.
   */
  traverse(query: TraversalQuery): Promise<TraversalResult | null>;
  status(): Promise<BackendStatus>;
  close(): Promise<void>;
}
