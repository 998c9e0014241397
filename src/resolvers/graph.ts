import type { StrataContext } from '../context.ts';
import type { EvaluationRecord } from '../domain/evaluation.ts';
import { PRODUCED, type PathRecord, type RelationshipRecord, type ResultRecord, type TaskRecord, type VertexRecord } from '../domain/graph.ts';
import { checkId } from '../domain/ids.ts';
import { checkEdgeType, GraphService, type CreateResultInput, type CreateTaskInput, type TraverseArgs } from '../services/graph.ts';

/** Thin functions between GraphQL arguments and the graph service; every list goes through a DataLoader. */

function graphService(ctx: StrataContext): GraphService {
  return new GraphService(ctx.registry.graph, ctx.config.limits, ctx.config.graph);
}

/** Later fields of the same request (Evaluation.task, another task(id:)) read these from the loader. */
function prime<T extends VertexRecord>(ctx: StrataContext, vertices: readonly T[]): T[] {
  for (const v of vertices) ctx.loaders.vertex.prime(v.id, v);
  return [...vertices];
}

async function vertexOfKind<K extends VertexRecord['kind']>(ctx: StrataContext, id: string, kind: K): Promise<Extract<VertexRecord, { kind: K }> | null> {
  const vertex = await ctx.loaders.vertex.load(id);
  return vertex?.kind === kind ? (vertex as Extract<VertexRecord, { kind: K }>) : null;
}

export const taskById = (ctx: StrataContext, id: string) => vertexOfKind(ctx, checkId('id', id), 'task');
export const resultById = (ctx: StrataContext, id: string) => vertexOfKind(ctx, checkId('id', id), 'result');

/** Results one outbound edge away (of `type` when given), each once, by id. */
export async function resultsOfTask(ctx: StrataContext, task: TaskRecord, type: string | null | undefined): Promise<ResultRecord[]> {
  const edgeTypes = type != null ? [checkEdgeType('type', type)] : undefined;
  const found = await ctx.loaders.neighbours({ direction: 'OUTBOUND', edgeTypes, vertexKind: 'result' }).load(task.id);
  const unique = new Map(found.map((n) => [n.vertex.id, n.vertex as ResultRecord]));
  return prime(ctx, [...unique.values()]);
}

/** Tasks with a `produced` edge to the result (seed 000's relationship), by id. */
export async function producersOf(ctx: StrataContext, result: ResultRecord): Promise<TaskRecord[]> {
  const found = await ctx.loaders.neighbours({ direction: 'INBOUND', edgeTypes: [PRODUCED], vertexKind: 'task' }).load(result.id);
  return prime(ctx, found.map((n) => n.vertex as TaskRecord));
}

/** Evaluations created with this task's id as taskId, oldest first, at most MAX_PAGE_SIZE. */
export async function evaluationsOfTask(ctx: StrataContext, task: TaskRecord): Promise<EvaluationRecord[]> {
  const evaluations = await ctx.loaders.evaluationsOfTask(ctx.config.limits.maxPageSize).load(task.id);
  for (const e of evaluations) ctx.loaders.evaluation.prime(e.id, e);
  return evaluations;
}

/** The task vertex whose id is the evaluation's taskId; null when unset or no such task exists. */
export function taskOfEvaluation(ctx: StrataContext, evaluation: EvaluationRecord): Promise<TaskRecord | null> {
  return evaluation.taskId ? vertexOfKind(ctx, evaluation.taskId, 'task') : Promise.resolve(null);
}

export async function traverse(ctx: StrataContext, args: TraverseArgs): Promise<PathRecord[]> {
  const paths = await graphService(ctx).traverse(args);
  for (const path of paths) prime(ctx, path.vertices);
  return paths;
}

export async function createTask(ctx: StrataContext, input: CreateTaskInput): Promise<TaskRecord> {
  return prime(ctx, [await graphService(ctx).createTask(input)])[0]!;
}

export async function createResult(ctx: StrataContext, input: CreateResultInput): Promise<ResultRecord> {
  return prime(ctx, [await graphService(ctx).createResult(input)])[0]!;
}

export function link(ctx: StrataContext, args: { from: string; to: string; type: string; data?: unknown }): Promise<RelationshipRecord> {
  return graphService(ctx).link(args.from, args.to, args.type, args.data);
}

export function unlink(ctx: StrataContext, id: string): Promise<boolean> {
  return graphService(ctx).unlink(id);
}
