import type { StrataContext } from '../context.ts';
import type { EvaluationRecord, EventRecord, MetricRecord } from '../domain/evaluation.ts';
import { decodeCursor, encodeCursor } from '../domain/cursor.ts';
import { checkId } from '../domain/ids.ts';
import { checkList, checkPageSize, checkString, checkTimeRange } from '../domain/validate.ts';
import { BadUserInputError } from '../errors.ts';
import { listEvaluations, type ListArgs } from '../services/evaluation-list.ts';
import type { StoredTextSource } from './stored-text.ts';

/** Thin functions between GraphQL arguments and the services; no SQL, no driver. */

export async function evaluationById(ctx: StrataContext, id: string): Promise<EvaluationRecord | null> {
  return ctx.loaders.evaluation.load(checkId('id', id));
}

export async function evaluationsPage(ctx: StrataContext, args: ListArgs) {
  const page = await listEvaluations(ctx.registry.evaluations, ctx.config.limits, args);
  // Later fields of this request read the same rows through the loader instead of the store.
  for (const { node } of page.edges) ctx.loaders.evaluation.prime(node.id, node);
  return { ...page, totalCount: () => ctx.registry.evaluations.count(page.filter) };
}

export function storedText(e: EvaluationRecord, which: 'output' | 'error'): StoredTextSource | null {
  const record = e[which];
  return record ? { evaluationId: e.id, which, record } : null;
}

export interface EventsArgs {
  first?: number | null;
  after?: string | null;
  types?: readonly string[] | null;
}

export interface EventConnectionSource {
  evaluationId: string;
  events: EventRecord[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  types: readonly string[] | undefined;
}

export async function eventsOf(ctx: StrataContext, e: EvaluationRecord, args: EventsArgs): Promise<EventConnectionSource> {
  const limits = ctx.config.limits;
  const first = checkPageSize('first', args.first, limits) ?? limits.defaultPageSize;
  const types = args.types ? checkList('types', args.types, limits.maxListLength).map((t) => checkString('types', t, 200)) : undefined;
  const afterId = args.after != null ? decodeCursor('after', args.after, 'event', 1)[0] : undefined;
  if (afterId !== undefined && (typeof afterId !== 'string' || !/^\d{1,18}$/.test(afterId))) {
    throw new BadUserInputError('after is not a cursor returned by this API.', { field: 'after' });
  }
  const rows = await ctx.loaders.events({ types, afterId, limit: first + 1 }).load(e.id);
  return { evaluationId: e.id, events: rows.slice(0, first), hasNextPage: rows.length > first, hasPreviousPage: afterId !== undefined, types };
}

export function eventCursor(event: EventRecord): string {
  return encodeCursor('event', [event.id]);
}

export interface MetricsArgs {
  names?: readonly string[] | null;
  from?: Date | null;
  to?: Date | null;
  last?: number | null;
}

export async function metricsOf(ctx: StrataContext, e: EvaluationRecord, args: MetricsArgs): Promise<MetricRecord[]> {
  const limits = ctx.config.limits;
  checkTimeRange('from', args.from, 'to', args.to);
  const names = args.names ? checkList('names', args.names, limits.maxListLength).map((n) => checkString('names', n, 200)) : undefined;
  if (args.last != null && (args.last < 0 || args.last > limits.maxMetricPoints)) {
    throw new BadUserInputError(`last must be between 0 and ${limits.maxMetricPoints} (got ${args.last}).`, { field: 'last' });
  }
  // Without `last`, each metric still returns at most MAX_METRIC_POINTS points (the newest).
  return ctx.loaders
    .metrics({ names, from: args.from ?? undefined, to: args.to ?? undefined, last: args.last ?? limits.maxMetricPoints })
    .load(e.id);
}
