import type { EvaluationRecord, EvaluationStatus } from '../../domain/evaluation.ts';
import type { StatisticsRecord } from '../types.ts';

/** percentile_cont: linear interpolation between the closest ranks, as PostgreSQL computes it. */
function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const rank = fraction * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

function countBy<K extends string>(items: readonly EvaluationRecord[], key: (e: EvaluationRecord) => K): [K, number][] {
  const counts = new Map<K, number>();
  for (const e of items) counts.set(key(e), (counts.get(key(e)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function memoryStatistics(all: readonly EvaluationRecord[], range: { from?: Date; to?: Date }): StatisticsRecord {
  const rows = all.filter(
    (e) => e.deletedAt === null && (!range.from || e.createdAt >= range.from) && (!range.to || e.createdAt < range.to),
  );
  const runtimes = rows.map((e) => e.runtimeMs).filter((v): v is number => v !== null).sort((a, b) => a - b);
  return {
    total: rows.length,
    byStatus: countBy<EvaluationStatus>(rows, (e) => e.status).map(([status, count]) => ({ status, count })),
    byLanguage: countBy(rows, (e) => e.language).map(([language, count]) => ({ language, count })),
    runtimeMs: {
      avg: runtimes.length ? runtimes.reduce((s, v) => s + v, 0) / runtimes.length : null,
      p50: percentile(runtimes, 0.5),
      p95: percentile(runtimes, 0.95),
      max: runtimes.length ? runtimes[runtimes.length - 1]! : null,
    },
  };
}
