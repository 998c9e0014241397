import { aql, type AqlQuery } from 'arangojs/aql';
import type { Direction, RelationshipRecord, VertexKind, VertexRecord } from '../../domain/graph.ts';
import type { NeighbourQuery, TraversalQuery } from '../graph-types.ts';
import { edgeDocument, vertexDocument } from './documents.ts';

/**
 * Every AQL statement the ArangoDB graph store sends, built with arangojs's `aql` tag: values
 * always travel as bind variables. The only text that varies is chosen from the fixed fragments
 * below (a direction keyword, a collection name), never taken from input.
 * Collections follow seed 000: `tasks` and `results` (documents), `relationships` (edges).
 */

const DIRECTION: Record<Direction, AqlQuery> = { OUTBOUND: aql`OUTBOUND`, INBOUND: aql`INBOUND`, ANY: aql`ANY` };
const COLLECTION: Record<VertexKind, AqlQuery> = { task: aql`tasks`, result: aql`results` };
const NOTHING = aql``;

/** The vertex with this key, from whichever collection holds it (they share one key space). */
const vertexByKey = (key: AqlQuery) => aql`(DOCUMENT("tasks", ${key}) || DOCUMENT("results", ${key}))`;

export function getVerticesQuery(ids: readonly string[]): AqlQuery {
  return aql`FOR d IN UNION(DOCUMENT("tasks", ${ids}), DOCUMENT("results", ${ids})) RETURN d`;
}

/** Fails with a unique-constraint error (1210) when the key is taken in the same collection. */
export function insertVertexQuery(vertex: VertexRecord): AqlQuery {
  return aql`INSERT ${vertexDocument(vertex)} INTO ${COLLECTION[vertex.kind]} RETURN NEW`;
}

/** The document ids (`tasks/x`) of both ends of an edge, null for an end that does not exist. */
export function edgeEndsQuery(from: string, to: string): AqlQuery {
  return aql`RETURN { from: ${vertexByKey(aql`${from}`)}._id, to: ${vertexByKey(aql`${to}`)}._id }`;
}

/**
 * Inserts the edge unless one of the same type joins the same two documents; `UPDATE {}` leaves
 * an existing edge as it is. The unique index on [_from, _to, type] makes the lookup an index
 * hit and turns a concurrent duplicate into error 1210, which the store retries once.
 */
export function upsertEdgeQuery(edge: RelationshipRecord, fromId: string, toId: string): AqlQuery {
  return aql`UPSERT { _from: ${fromId}, _to: ${toId}, type: ${edge.type} }
    INSERT ${edgeDocument(edge, fromId, toId)}
    UPDATE {} IN relationships
    RETURN { doc: NEW, created: OLD == null }`;
}

export function removeEdgeQuery(id: string): AqlQuery {
  return aql`FOR e IN relationships FILTER e._key == ${id} REMOVE e IN relationships RETURN OLD._key`;
}

export function neighboursQuery(ids: readonly string[], q: NeighbourQuery): AqlQuery {
  const types = q.edgeTypes ? aql`FILTER e.type IN ${q.edgeTypes}` : NOTHING;
  const kind = q.vertexKind ? aql`FILTER IS_SAME_COLLECTION(${q.vertexKind === 'task' ? 'tasks' : 'results'}, v)` : NOTHING;
  return aql`WITH tasks, results
    FOR id IN ${ids}
      LET start = ${vertexByKey(aql`id`)}
      FILTER start != null
      FOR v, e IN 1..1 ${DIRECTION[q.direction]} start relationships
        ${types} ${kind}
        RETURN { source: id, vertex: v, edge: e }`;
}

/**
 * A traversal in one query, with the same semantics as the PostgreSQL CTE: simple paths
 * (`uniqueVertices: "path"`), breadth first, at most maxVisits + 1 visited paths read, then the
 * page in the documented order. AQL compares strings by locale, so ids are compared as hex of
 * their bytes, which orders like code points (COLLATE "C").
 */
export function traversalQuery(q: TraversalQuery): AqlQuery {
  const types = q.edgeTypes ? aql`FILTER p.edges[*].type ALL IN ${q.edgeTypes}` : NOTHING;
  // 1..0 is not a valid traversal depth: with maxDepth 0 only the start vertex can be a path.
  const walk =
    q.maxDepth === 0
      ? aql`[]`
      : aql`(FOR s IN (start == null ? [] : [start])
          FOR v, e, p IN 1..${q.maxDepth} ${DIRECTION[q.direction]} s relationships
            OPTIONS { order: "bfs", uniqueVertices: "path" }
            ${types}
            LIMIT ${q.maxVisits + 1}
            RETURN p)`;
  return aql`WITH tasks, results
    LET start = ${vertexByKey(aql`${q.start}`)}
    LET visited = ${walk}
    LET page = (
      FOR p IN APPEND(start != null && ${q.minDepth} == 0 ? [{ vertices: [start], edges: [] }] : [], visited)
        FILTER LENGTH(p.edges) >= ${q.minDepth}
        SORT LENGTH(p.edges), p.vertices[* RETURN TO_HEX(CURRENT._key)], p.edges[* RETURN TO_HEX(CURRENT._key)]
        LIMIT ${q.limit}
        RETURN p)
    RETURN { startFound: start != null, visited: LENGTH(visited), paths: page }`;
}

export function countsQuery(): AqlQuery {
  return aql`RETURN { tasks: LENGTH(tasks), results: LENGTH(results), relationships: LENGTH(relationships) }`;
}
