import { DIRECTIONS, type PathRecord, type RelationshipRecord, type ResultRecord, type TaskRecord } from '../domain/graph.ts';
import { evaluationsOfTask, producersOf, resultById, resultsOfTask, taskById, traverse } from '../resolvers/graph.ts';
import { builder } from './builder.ts';
import { EvaluationRef } from './evaluation.ts';

export const DirectionEnum = builder.enumType('Direction', {
  description: 'Which edges a traversal follows: from the vertex (OUTBOUND), into it (INBOUND), or both (ANY).',
  values: DIRECTIONS,
});

export const TaskRef = builder.objectRef<TaskRecord>('Task');
export const ResultRef = builder.objectRef<ResultRecord>('Result');

TaskRef.implement({
  description: 'A unit of work in the task/result graph (seed 000). Tasks and results share one id space.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    status: t.exposeString('status', { nullable: true }),
    data: t.expose('data', { type: 'JSON' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    results: t.field({
      type: [ResultRef],
      description: 'Results one outbound edge away, each once, ordered by id; only edges of `type` when given.',
      args: { type: t.arg.string() },
      resolve: (task, args, ctx) => resultsOfTask(ctx, task, args.type),
    }),
    evaluations: t.field({
      type: [EvaluationRef],
      description: 'Evaluations created with this task id as taskId (not deleted), oldest first, at most MAX_PAGE_SIZE.',
      resolve: (task, _, ctx) => evaluationsOfTask(ctx, task),
    }),
  }),
});

ResultRef.implement({
  description: 'An output in the task/result graph.',
  fields: (t) => ({
    id: t.exposeID('id'),
    data: t.expose('data', { type: 'JSON' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    producedBy: t.field({
      type: [TaskRef],
      description: 'Tasks with a "produced" edge to this result, ordered by id.',
      resolve: (result, _, ctx) => producersOf(ctx, result),
    }),
  }),
});

export const RelationshipRef = builder.objectRef<RelationshipRecord>('Relationship').implement({
  description: 'A typed, directed edge. At most one edge of a type joins the same two vertices in the same direction.',
  fields: (t) => ({
    id: t.exposeID('id'),
    from: t.exposeID('from'),
    to: t.exposeID('to'),
    type: t.exposeString('type'),
    data: t.expose('data', { type: 'JSON' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const VertexUnion = builder.unionType('Vertex', {
  types: [TaskRef, ResultRef],
  resolveType: (vertex) => (vertex.kind === 'task' ? TaskRef : ResultRef),
});

const GraphPathRef = builder.objectRef<PathRecord>('GraphPath').implement({
  description: 'A path from the start vertex: vertices[0] is the start, edges[i] joins vertices[i] and vertices[i + 1].',
  fields: (t) => ({
    vertices: t.field({ type: [VertexUnion], resolve: (p) => p.vertices }),
    edges: t.field({ type: [RelationshipRef], resolve: (p) => p.edges }),
  }),
});

builder.queryFields((t) => ({
  task: t.field({ type: TaskRef, nullable: true, args: { id: t.arg.id({ required: true }) }, resolve: (_, a, ctx) => taskById(ctx, a.id) }),
  result: t.field({ type: ResultRef, nullable: true, args: { id: t.arg.id({ required: true }) }, resolve: (_, a, ctx) => resultById(ctx, a.id) }),
  traverse: t.field({
    type: [GraphPathRef],
    description:
      'Paths from a vertex, never visiting a vertex twice (cycles end a path). Ordered by length, then by the ids of the ' +
      'vertices along the path, then by edge ids (ids compare by code point). maxDepth is at most GRAPH_MAX_DEPTH; a ' +
      'traversal that would visit more than GRAPH_MAX_VISITS paths is refused. NOT_FOUND when `from` does not exist.',
    args: {
      from: t.arg.id({ required: true }),
      direction: t.arg({ type: DirectionEnum, defaultValue: 'OUTBOUND' }),
      minDepth: t.arg.int({ defaultValue: 1, description: '0 includes the start vertex as a path without edges.' }),
      maxDepth: t.arg.int({ defaultValue: 1 }),
      edgeTypes: t.arg.stringList({ description: 'Follow only edges of these types.' }),
      limit: t.arg.int({ description: 'At most this many paths (MAX_PAGE_SIZE when omitted, and at most that).' }),
    },
    resolve: (_, args, ctx) => traverse(ctx, args),
  }),
}));
