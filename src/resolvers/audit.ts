import type { AuditFilter, AuditRecord } from '../backends/audit-types.ts';
import type { StrataContext } from '../context.ts';
import { decodeCursor, encodeCursor } from '../domain/cursor.ts';
import { checkPageSize, checkString, checkTimeRange } from '../domain/validate.ts';
import { BadUserInputError } from '../errors.ts';

export interface AuditPage {
  records: AuditRecord[];
  hasNextPage: boolean;
}

export const auditCursor = (r: AuditRecord): string => encodeCursor('audit', [r.id]);

/** Newest first; `after` continues from a page's endCursor. Filters are exact matches. */
export async function auditLogPage(
  ctx: StrataContext,
  args: { first?: number | null; after?: string | null; filter?: AuditFilter | null },
): Promise<AuditPage> {
  const { limits } = ctx.config;
  const first = checkPageSize('first', args.first, limits) ?? limits.defaultPageSize;
  const beforeId = args.after ? String(decodeCursor('after', args.after, 'audit', 1)[0]) : undefined;
  if (beforeId !== undefined && !/^[1-9]\d{0,17}$/.test(beforeId)) throw new BadUserInputError('after is not a cursor returned by auditLog.', { field: 'after' });
  const filter = args.filter ?? {};
  for (const field of ['keyName', 'operation', 'targetId', 'outcome'] as const) {
    const value = filter[field];
    if (typeof value === 'string') checkString(`filter.${field}`, value, limits.maxStringBytes);
  }
  checkTimeRange('filter.since', filter.since, 'filter.until', filter.until);
  const records = await ctx.registry.audit.list({ filter, beforeId, limit: first + 1 });
  return { records: records.slice(0, first), hasNextPage: records.length > first };
}
