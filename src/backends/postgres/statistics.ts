import type { EvaluationStatus } from '../../domain/evaluation.ts';
import type { StatisticsRecord } from '../types.ts';
import { Params, type Queryable } from './sql-client.ts';

interface Row {
  status: EvaluationStatus | null;
  language: string | null;
  by_status: number;
  by_language: number;
  n: number;
  avg: number | null;
  p50: number | null;
  p95: number | null;
  max: number | null;
}

/**
 * Totals, counts by status and by language, and runtime percentiles in one statement: GROUPING
 * SETS computes the three groupings in a single pass over the rows.
 */
export async function statistics(sql: Queryable, range: { from?: Date; to?: Date }): Promise<StatisticsRecord> {
  const p = new Params();
  const where = ['deleted_at IS NULL'];
  if (range.from) where.push(`created_at >= ${p.add(range.from)}`);
  if (range.to) where.push(`created_at < ${p.add(range.to)}`);
  const { rows } = await sql.query<Row>(
    `SELECT status, language, GROUPING(status)::int AS by_status, GROUPING(language)::int AS by_language,
            count(*)::int AS n, avg(runtime_ms)::float8 AS avg,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY runtime_ms)::float8 AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY runtime_ms)::float8 AS p95,
            max(runtime_ms)::float8 AS max
     FROM evaluations WHERE ${where.join(' AND ')}
     GROUP BY GROUPING SETS ((), (status), (language))`,
    p.values,
  );
  const total = rows.find((r) => r.by_status === 1 && r.by_language === 1);
  return {
    total: total?.n ?? 0,
    byStatus: rows
      .filter((r) => r.by_status === 0)
      .map((r) => ({ status: r.status!, count: r.n }))
      .sort((a, b) => b.count - a.count || a.status.localeCompare(b.status)),
    byLanguage: rows
      .filter((r) => r.by_language === 0)
      .map((r) => ({ language: r.language!, count: r.n }))
      .sort((a, b) => b.count - a.count || a.language.localeCompare(b.language)),
    runtimeMs: { avg: total?.avg ?? null, p50: total?.p50 ?? null, p95: total?.p95 ?? null, max: total?.max ?? null },
  };
}
