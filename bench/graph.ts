/**
 * Graph traversal benchmark (issue 5): depth-1, -3 and -5 traversals from random start vertices on
 * the 100,000-vertex / 300,000-edge graph of `strata seed --graph`, in real PostgreSQL, through the
 * graph service (validation, one SQL statement, mapping to records), as the API runs them.
 *
 *   npm run bench:graph [-- --quick] [-- --write]
 *
 * DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test), DATABASE_SCHEMA (default
 * strata_bench_graph). The graph is seeded first when the schema does not hold it yet.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createRegistry } from '../src/backends/registry.ts';
import { loadConfig } from '../src/config.ts';
import type { Direction } from '../src/domain/graph.ts';
import { createLogger } from '../src/logger.ts';
import { GRAPH_SEED_DEFAULTS, seededVertexId, seedGraph } from '../src/seed-graph.ts';
import { GraphService } from '../src/services/graph.ts';
import { writeGraphSection, type GraphRow } from './graph-results.ts';

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean' }, write: { type: 'boolean' } } });
const SCENARIOS: { direction: Direction; depth: number }[] = [
  { direction: 'OUTBOUND', depth: 1 },
  { direction: 'OUTBOUND', depth: 3 },
  { direction: 'OUTBOUND', depth: 5 },
  { direction: 'ANY', depth: 3 },
];
const SAMPLES = flags.quick ? 200 : 2000;
const CONCURRENT_MS = flags.quick ? 1000 : 5000;
const CONCURRENCY = 8;

const env = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/test', DATABASE_SCHEMA: 'strata_bench_graph', LOG_LEVEL: 'warn', ...process.env };
const config = loadConfig({ ...env, GRAPH_BACKEND: 'postgres' });
const registry = await createRegistry(config, createLogger(config.logLevel), { migrate: true });
const sql = registry.sql!;
const graph = new GraphService(registry.graph, config.limits, config.graph);

// A fixed-seed generator (mulberry32): every run walks from the same sequence of start vertices.
let state = 42;
const random = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const randomStart = () => seededVertexId(1 + Math.floor(random() * GRAPH_SEED_DEFAULTS.vertices));

async function ensureSeeded(): Promise<void> {
  const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM graph_edges WHERE id LIKE 'ge\\_%'`);
  if (rows[0]!.n >= 3 * GRAPH_SEED_DEFAULTS.vertices) return;
  await seedGraph(sql, GRAPH_SEED_DEFAULTS, (phase, done, total) => process.stderr.write(`\rseeding the graph: ${phase} ${done}/${total}   `));
  process.stderr.write('\n');
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function measure(direction: Direction, depth: number): Promise<GraphRow> {
  const walk = () => graph.traverse({ from: randomStart(), direction, maxDepth: depth });
  for (let i = 0; i < 50; i++) await walk();
  const latencies: number[] = [];
  let paths = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    paths += (await walk()).length;
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  // Throughput with CONCURRENCY traversals in flight over the pool (DATABASE_POOL_MAX, default 10).
  let done = 0;
  const until = performance.now() + CONCURRENT_MS;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < until) await walk().then(() => done++);
  }));
  const sequential = SAMPLES / (latencies.reduce((a, b) => a + b, 0) / 1000);
  return { direction, depth, p50: percentile(latencies, 50), p99: percentile(latencies, 99), sequential, concurrent: done / (CONCURRENT_MS / 1000), paths: paths / SAMPLES };
}

try {
  await ensureSeeded();
  const rows: GraphRow[] = [];
  for (const { direction, depth } of SCENARIOS) {
    process.stderr.write(`measuring ${direction} depth ${depth}: ${SAMPLES} sequential traversals, then ${CONCURRENT_MS / 1000} s at concurrency ${CONCURRENCY}...\n`);
    const row = await measure(direction, depth);
    rows.push(row);
    console.log(`${direction.padEnd(8)} depth ${depth}: p50 ${row.p50.toFixed(2)} ms, p99 ${row.p99.toFixed(2)} ms, ${row.sequential.toFixed(0)}/s sequential, ${row.concurrent.toFixed(0)}/s at ${CONCURRENCY}, ${row.paths.toFixed(1)} paths`);
  }
  if (flags.write) {
    const { rows: version } = await sql.query<{ v: string }>(`SELECT split_part(version(), ' on ', 1) AS v`);
    await writeGraphSection(rows, { samples: SAMPLES, concurrentMs: CONCURRENT_MS, concurrency: CONCURRENCY }, version[0]!.v);
    console.log('Wrote the "Graph traversals" section of bench/RESULTS.md.');
  }
} finally {
  await registry.close();
}
