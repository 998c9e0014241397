import type { EvaluationFilter, EvaluationStore, OrderDirection, OrderField } from '../backends/types.ts';
import type { Limits } from '../config.ts';
import type { EvaluationRecord, EvaluationStatus } from '../domain/evaluation.ts';
import { decodeCursor, encodeCursor } from '../domain/cursor.ts';
import { checkId } from '../domain/ids.ts';
import { checkJsonObject, checkList, checkPageSize, checkString, checkTimeRange } from '../domain/validate.ts';
import { BadUserInputError } from '../errors.ts';

export interface EvaluationFilterInput {
  status?: readonly EvaluationStatus[] | null;
  language?: string | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
  metadataContains?: unknown;
  codeHash?: string | null;
  taskId?: string | null;
  includeDeleted?: boolean | null;
}

export interface ListArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  filter?: EvaluationFilterInput | null;
  orderBy?: { field: OrderField; direction: OrderDirection } | null;
}

export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  filter: EvaluationFilter;
}

/** Normalises and checks a filter; every bound comes from config. */
export function toFilter(input: EvaluationFilterInput | null | undefined, limits: Limits): EvaluationFilter {
  const f = input ?? {};
  checkTimeRange('filter.createdAfter', f.createdAfter, 'filter.createdBefore', f.createdBefore);
  return {
    status: f.status ? checkList('filter.status', f.status, limits.maxListLength) : undefined,
    language: f.language != null ? checkString('filter.language', f.language, 64) : undefined,
    createdAfter: f.createdAfter ?? undefined,
    createdBefore: f.createdBefore ?? undefined,
    metadataContains: f.metadataContains != null ? checkJsonObject('filter.metadataContains', f.metadataContains, limits.maxMetadataBytes) : undefined,
    codeHash: f.codeHash != null ? checkString('filter.codeHash', f.codeHash, 128) : undefined,
    taskId: f.taskId != null ? checkId('filter.taskId', f.taskId) : undefined,
    includeDeleted: f.includeDeleted ?? false,
  };
}

/** A decoded cursor must hold a value of the sort field's type: it is bound into SQL as one. */
function fitsOrdering(field: OrderField, value: string | number | null, id: string | number | null): boolean {
  if (typeof id !== 'string') return false;
  if (value === null) return field !== 'CREATED_AT';
  if (field === 'RUNTIME_MS') return Number.isInteger(value) && Math.abs(value as number) <= 2_147_483_647;
  return typeof value === 'string' && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(value) && !Number.isNaN(Date.parse(value));
}

function sortValue(e: EvaluationRecord, field: OrderField): string | number | null {
  if (field === 'CREATED_AT') return e.createdAt.toISOString();
  if (field === 'COMPLETED_AT') return e.completedAt?.toISOString() ?? null;
  return e.runtimeMs;
}

/**
 * A Relay connection over keyset pages: first/after reads forwards; last/before reads the same
 * order backwards (direction and null placement flipped) and reverses the page. Rows with no
 * value for the sort field (not completed, no runtime) come last.
 */
export async function listEvaluations(store: EvaluationStore, limits: Limits, args: ListArgs): Promise<Connection<EvaluationRecord>> {
  const first = checkPageSize('first', args.first, limits);
  const last = checkPageSize('last', args.last, limits);
  if (first !== undefined && last !== undefined) throw new BadUserInputError('Pass first (with after) or last (with before), not both.', { field: 'last' });
  const backwards = last !== undefined || (args.before != null && first === undefined);
  if (backwards && args.after != null) throw new BadUserInputError('after pages forwards; use it with first, not with last or before.', { field: 'after' });
  if (!backwards && args.before != null) throw new BadUserInputError('before pages backwards; use it with last, not with first.', { field: 'before' });

  const field = args.orderBy?.field ?? 'CREATED_AT';
  const direction = args.orderBy?.direction ?? 'DESC';
  const kind = `evaluations:${field}:${direction}`;
  const cursorArg = backwards ? args.before : args.after;
  const position = cursorArg != null ? decodeCursor(backwards ? 'before' : 'after', cursorArg, kind, 2) : null;
  if (position && !fitsOrdering(field, position[0]!, position[1]!)) {
    throw new BadUserInputError('The cursor does not fit this ordering; restart paging without it.', { field: backwards ? 'before' : 'after' });
  }
  const size = (backwards ? last : first) ?? limits.defaultPageSize;
  const filter = toFilter(args.filter, limits);
  const flip = (d: OrderDirection): OrderDirection => (d === 'ASC' ? 'DESC' : 'ASC');
  const rows = await store.list({
    filter,
    field,
    direction: backwards ? flip(direction) : direction,
    nullsFirst: backwards,
    after: position ? { value: position[0]!, id: position[1] as string } : undefined,
    limit: size + 1,
  });
  const more = rows.length > size;
  const page = rows.slice(0, size);
  if (backwards) page.reverse();
  const edges = page.map((node) => ({ node, cursor: encodeCursor(kind, [sortValue(node, field), node.id]) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: backwards ? cursorArg != null : more,
      hasPreviousPage: backwards ? more : cursorArg != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    filter,
  };
}
