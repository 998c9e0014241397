import type { EvaluationFilter, EvaluationPatch, ListQuery, NewEvent, OrderField } from '../types.ts';
import { Params } from './sql-client.ts';

/** WHERE conditions for a list filter; every value is bound, never inlined. */
export function filterConditions(filter: EvaluationFilter, p: Params): string[] {
  const where: string[] = [];
  if (!filter.includeDeleted) where.push('deleted_at IS NULL');
  // One status is spelled `status = $n` so the planner can walk (status, created_at, id) in order.
  if (filter.status?.length === 1) where.push(`status = ${p.add(filter.status[0])}`);
  else if (filter.status) where.push(`status = ANY(${p.add(filter.status)}::text[])`);
  if (filter.language !== undefined) where.push(`language = ${p.add(filter.language)}`);
  if (filter.createdAfter) where.push(`created_at >= ${p.add(filter.createdAfter)}`);
  if (filter.createdBefore) where.push(`created_at < ${p.add(filter.createdBefore)}`);
  if (filter.metadataContains) where.push(`metadata @> ${p.add(JSON.stringify(filter.metadataContains))}::jsonb`);
  if (filter.codeHash !== undefined) where.push(`code_hash = ${p.add(filter.codeHash)}`);
  if (filter.taskId !== undefined) where.push(`task_id = ${p.add(filter.taskId)}`);
  return where;
}

export function whereClause(conditions: readonly string[]): string {
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

const ORDER_COLUMN: Record<OrderField, { column: string; cast: string; nullable: boolean }> = {
  CREATED_AT: { column: 'created_at', cast: 'timestamptz', nullable: false },
  COMPLETED_AT: { column: 'completed_at', cast: 'timestamptz', nullable: true },
  RUNTIME_MS: { column: 'runtime_ms', cast: 'integer', nullable: true },
};

export function orderColumn(field: OrderField): string {
  return ORDER_COLUMN[field].column;
}

/**
 * "Strictly after the cursor" for ORDER BY col dir NULLS (FIRST|LAST), id dir. On a NOT NULL
 * column this is a row comparison, which PostgreSQL turns into an index range; a nullable column
 * needs the spelled-out form, since a row comparison with a null is null.
 */
export function keysetCondition(q: ListQuery, p: Params): string | null {
  if (!q.after) return null;
  const { column: c, cast, nullable } = ORDER_COLUMN[q.field];
  const op = q.direction === 'ASC' ? '>' : '<';
  if (!nullable) return `(${c}, id) ${op} (${p.add(q.after.value)}::${cast}, ${p.add(q.after.id)})`;
  const id = p.add(q.after.id);
  if (q.after.value === null) {
    const sameNullRun = `(${c} IS NULL AND id ${op} ${id})`;
    return q.nullsFirst ? `(${c} IS NOT NULL OR ${sameNullRun})` : sameNullRun;
  }
  const v = `${p.add(q.after.value)}::${cast}`;
  const after = `(${c} ${op} ${v} OR (${c} = ${v} AND id ${op} ${id})`;
  return q.nullsFirst ? `${after})` : `${after} OR ${c} IS NULL)`;
}

/**
 * The ORDER BY for a page. It must match an index exactly, or PostgreSQL sorts every matching row
 * on every page: a NOT NULL column gets no NULLS clause (so (created_at, id) serves both
 * directions), and nullable columns have an index for each null placement (see migrations).
 */
export function orderBy(q: ListQuery): string {
  const { column, nullable } = ORDER_COLUMN[q.field];
  const nulls = nullable ? (q.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST') : '';
  return `ORDER BY ${column} ${q.direction}${nulls}, id ${q.direction}`;
}

/** SET assignments for an update; `updated_at` always moves. */
export function setClause(patch: EvaluationPatch, p: Params): string {
  const sets = ['updated_at = now()'];
  const plain: [keyof EvaluationPatch, string][] = [
    ['status', 'status'],
    ['startedAt', 'started_at'],
    ['completedAt', 'completed_at'],
    ['runtimeMs', 'runtime_ms'],
    ['retries', 'retries'],
    ['celeryTaskId', 'celery_task_id'],
    ['deletedAt', 'deleted_at'],
  ];
  for (const [key, column] of plain) {
    if (patch[key] !== undefined) sets.push(`${column} = ${p.add(patch[key])}`);
  }
  if (patch.metadataMerge) sets.push(`metadata = metadata || ${p.add(JSON.stringify(patch.metadataMerge))}::jsonb`);
  for (const which of ['output', 'error'] as const) {
    const text = patch[which];
    if (!text) continue;
    sets.push(
      `${which}_location = ${p.add(text.location)}`,
      `${which}_size = ${p.add(text.size)}`,
      `${which}_data = ${p.add(text.data)}`,
      `${which}_sha256 = ${p.add(text.sha256 ?? null)}`,
      `${which}_blob = ${p.add(text.blob ? JSON.stringify(text.blob) : null)}::jsonb`,
    );
  }
  return sets.join(', ');
}

/**
 * A CTE that appends events for the row(s) of `source`, in the given order. Used inside the same
 * statement as the insert or update, so an evaluation and its timeline never disagree.
 */
export function insertEventsCte(source: string, events: readonly NewEvent[], p: Params): string {
  const types = p.add(events.map((e) => e.type));
  const messages = p.add(events.map((e) => e.message));
  const metadata = p.add(events.map((e) => JSON.stringify(e.metadata)));
  const times = p.add(events.map((e) => e.timestamp ?? null));
  return `INSERT INTO evaluation_events (evaluation_id, type, message, metadata, timestamp)
    SELECT s.id, e.type, e.message, e.metadata, coalesce(e.ts, now())
    FROM ${source} s, unnest(${types}::text[], ${messages}::text[], ${metadata}::jsonb[], ${times}::timestamptz[])
      WITH ORDINALITY AS e(type, message, metadata, ts, n)
    ORDER BY e.n`;
}
