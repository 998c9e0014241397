import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SqlClient } from '../backends/postgres/sql-client.ts';

/**
 * Every Prometheus metric of the process, served by GET /metrics. One registry per process (not
 * prom-client's global one, so a library user's own metrics are not mixed in): counters add up
 * over every gateway instance in the process, as a scrape of the process expects.
 *
 * Gauges read at scrape time from what they describe: `trackPool` (strata_db_pool_connections)
 * and `trackJournal` (strata_fallback_journal_depth). `metrics.activeSubscriptions` is counted
 * by the operation metrics plugin as subscriptions start and end.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'strata_' });

const registers = [metricsRegistry];
const pools = new Set<WeakRef<SqlClient>>();
const journals = new Set<WeakRef<{ readonly size: number }>>();

export const metrics = {
  operations: new Counter({ name: 'strata_graphql_operations_total', help: 'GraphQL operations by name, type and outcome (ok, or the first error code).', labelNames: ['operation', 'type', 'outcome'], registers }),
  duration: new Histogram({
    name: 'strata_graphql_operation_duration_seconds',
    help: 'Time from the start of execution to the result, by operation name and outcome.',
    labelNames: ['operation', 'type', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  }),
  loaderBatchSize: new Histogram({ name: 'strata_dataloader_batch_size', help: 'Keys per DataLoader batch, by loader.', labelNames: ['loader'], buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000], registers }),
  cacheLookups: new Counter({ name: 'strata_cache_lookups_total', help: 'Evaluation cache lookups by result (hit, miss, error); hit ratio = hit / (hit + miss).', labelNames: ['result'], registers }),
  activeSubscriptions: new Gauge({ name: 'strata_active_subscriptions', help: 'Subscriptions currently streaming.', registers }),
  fallbackJournalDepth: new Gauge({
    name: 'strata_fallback_journal_depth',
    help: 'Writes waiting in the fallback journal for the primary to come back.',
    registers,
    collect() {
      let depth = 0;
      for (const ref of journals) depth += ref.deref()?.size ?? 0;
      this.set(depth);
    },
  }),
  rateLimited: new Counter({ name: 'strata_rate_limited_total', help: 'Operations refused with RATE_LIMITED.', registers }),
  auditFailures: new Counter({ name: 'strata_audit_failures_total', help: 'Audit records that could not be stored (the write itself had happened).', registers }),
  dbPool: new Gauge({
    name: 'strata_db_pool_connections',
    help: 'PostgreSQL pool connections by state (total, idle, waiting clients, max).',
    labelNames: ['state'],
    registers,
    collect() {
      const sum = { total: 0, idle: 0, waiting: 0, max: 0 };
      for (const ref of pools) {
        const stats = ref.deref()?.poolStats?.();
        if (!stats) continue;
        for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += stats[k];
      }
      for (const [state, value] of Object.entries(sum)) this.set({ state }, value);
    },
  }),
};

/** Reports this client's pool in strata_db_pool_connections (held weakly: a closed registry drops out). */
export function trackPool(sql: SqlClient | null): void {
  if (sql?.poolStats) pools.add(new WeakRef(sql));
}

/**
 * Reports this journal's entries in strata_fallback_journal_depth until the returned function is
 * called (when the registry closes). Held weakly, like pools, so a forgotten one cannot leak.
 */
export function trackJournal(journal: { readonly size: number }): () => void {
  const ref = new WeakRef(journal);
  journals.add(ref);
  return () => void journals.delete(ref);
}

const MAX_OPERATION_NAMES = 200;
const seenNames = new Set<string>();

/**
 * Operation names are chosen by clients; a label per name would let any client grow the metrics
 * without bound. The first MAX_OPERATION_NAMES names get their own label, later ones share "(other)".
 */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return '(anonymous)';
  if (seenNames.has(name)) return name;
  if (seenNames.size >= MAX_OPERATION_NAMES || name.length > 64) return '(other)';
  seenNames.add(name);
  return name;
}
