import { Counter, Gauge } from 'prom-client';
import type { ReadRouter } from '../backends/postgres/read-routing.ts';
import { metricsRegistry } from './metrics.ts';

/** Routers of this process (held weakly: a closed registry drops out), as metrics.ts holds pools. */
const routers = new Set<WeakRef<ReadRouter>>();
const registers = [metricsRegistry];

export function trackReadRouter(router: ReadRouter): void {
  routers.add(new WeakRef(router));
}

function live(): ReadRouter[] {
  const found: ReadRouter[] = [];
  for (const ref of routers) {
    const router = ref.deref();
    if (router) found.push(router);
    else routers.delete(ref);
  }
  return found;
}

type ReplicaSample = { up: number; lagBytes: number | null };

/** Replica health and lag, probed when scraped (one statement per replica, plus the primary's position). */
async function probeReplicas(): Promise<Map<string, ReplicaSample>> {
  const samples = new Map<string, ReplicaSample>();
  for (const router of live()) {
    const statuses = await Promise.all(router.replicas.map((_, i) => router.status(i)));
    for (const s of statuses) {
      samples.set(String(s.metrics['replica']), { up: s.metrics['reachable'] ? 1 : 0, lagBytes: (s.metrics['lagBytes'] as number | null | undefined) ?? null });
    }
  }
  return samples;
}

let scrape: Promise<Map<string, ReplicaSample>> | null = null;
/** Both gauges of one scrape share one round of probes. */
function probeOnce(): Promise<Map<string, ReplicaSample>> {
  if (!scrape) {
    scrape = probeReplicas();
    void scrape.finally(() => setImmediate(() => (scrape = null))).catch(() => {});
  }
  return scrape;
}

new Gauge({
  name: 'strata_db_replica_up',
  help: 'Whether each read replica (DATABASE_READ_URL) answers: 1 or 0.',
  labelNames: ['replica'],
  registers,
  async collect() {
    const samples = routers.size ? await probeOnce() : new Map<string, ReplicaSample>();
    this.reset();
    for (const [replica, s] of samples) this.set({ replica }, s.up);
  },
});

new Gauge({
  name: 'strata_db_replica_lag_bytes',
  help: 'Bytes of WAL the primary has written that each replica has not replayed yet (pg_current_wal_lsn() minus pg_last_wal_replay_lsn()).',
  labelNames: ['replica'],
  registers,
  async collect() {
    const samples = routers.size ? await probeOnce() : new Map<string, ReplicaSample>();
    this.reset();
    for (const [replica, s] of samples) if (s.lagBytes !== null) this.set({ replica }, s.lagBytes);
  },
});

new Counter({
  name: 'strata_db_reads_total',
  help: 'Read-only statements by where they were answered: primary, replica, or fallback (failed on a replica, answered by the primary).',
  labelNames: ['target'],
  registers,
  collect() {
    const sum = { primary: 0, replica: 0, fallback: 0 };
    for (const router of live()) {
      sum.primary += router.counts.primary;
      sum.replica += router.counts.replica;
      sum.fallback += router.counts.fallbacks;
    }
    this.reset();
    if (routers.size === 0) return;
    for (const [target, n] of Object.entries(sum)) this.inc({ target }, n);
  },
});
