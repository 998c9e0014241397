import type { SqlClient } from './backends/postgres/sql-client.ts';
import { createRegistry } from './backends/registry.ts';
import type { Config } from './config.ts';
import { StartupError } from './errors.ts';
import type { Logger } from './logger.ts';

export interface GraphSeedOptions {
  /** Vertices to create: every fifth a task, the others results. @default 100000 */
  vertices: number;
  /** Vertices per statement; progress is reported after each batch. @default 10000 */
  batch: number;
}

export const GRAPH_SEED_DEFAULTS: GraphSeedOptions = { vertices: 100_000, batch: 10_000 };

/** Edges leaving every vertex, one of each type: 3 x vertices edges in all. */
export const EDGE_TYPES = ['produced', 'depends_on', 'feeds'] as const;

/** The id of the i-th seeded vertex (1-based), for benchmarks that pick starts at random. */
export function seededVertexId(i: number): string {
  return `gv_${String(i).padStart(6, '0')}`;
}

const VERTICES = `
INSERT INTO graph_vertices (id, kind, name, status, data, created_at)
SELECT 'gv_' || lpad(i::text, 6, '0'),
       CASE WHEN i % 5 = 0 THEN 'task' ELSE 'result' END,
       CASE WHEN i % 5 = 0 THEN 'seed task ' || i END,
       CASE WHEN i % 5 = 0 THEN (ARRAY['pending', 'running', 'done'])[1 + i % 3] END,
       jsonb_build_object('seed', i, 'batch', i / 1000),
       timestamptz '2024-07-01 00:00:00+00' + i * interval '1 second'
FROM generate_series($1::int, $2::int) AS i
ON CONFLICT (id) DO NOTHING`;

// Vertex i gets one edge of each type k, to j = i + offset (mod n) with an offset in 1..n-1 that a
// multiplicative hash spreads over the graph: never a self-loop, never a duplicate (from, to, type),
// and the same graph on every run. bigint keeps i * prime from overflowing.
const EDGES = `
INSERT INTO graph_edges (id, from_id, to_id, type, data, created_at)
SELECT 'ge_' || lpad(i::text, 6, '0') || '_' || k,
       'gv_' || lpad(i::text, 6, '0'),
       'gv_' || lpad((((i - 1) + 1 + (i::bigint * (ARRAY[7919, 104729, 1299709])[k]) % ($3::int - 1)) % $3::int + 1)::text, 6, '0'),
       ($4::text[])[k],
       '{}'::jsonb,
       timestamptz '2024-07-01 00:00:00+00' + i * interval '1 second'
FROM generate_series($1::int, $2::int) AS i, generate_series(1, 3) AS k
ON CONFLICT DO NOTHING`;

/**
 * Fills the graph tables with a deterministic graph generated inside PostgreSQL (generate_series):
 * no rows travel from Node. Idempotent: existing rows are kept. Ends with VACUUM ANALYZE so the
 * planner has statistics and traversal steps can be index-only scans.
 */
export async function seedGraph(sql: SqlClient, options: GraphSeedOptions, progress: (phase: string, done: number, total: number) => void): Promise<void> {
  const n = options.vertices;
  if (n < 2) throw new RangeError('the graph seed needs at least 2 vertices');
  for (const [phase, statement, params] of [
    ['vertices', VERTICES, () => []],
    ['edges', EDGES, () => [n, EDGE_TYPES]],
  ] as const) {
    for (let start = 1; start <= n; start += options.batch) {
      const end = Math.min(n, start + options.batch - 1);
      await sql.query(statement, [start, end, ...params()]);
      progress(phase, end, n);
    }
  }
  await sql.query('VACUUM ANALYZE graph_vertices');
  await sql.query('VACUUM ANALYZE graph_edges');
}

/** `strata seed --graph [--vertices N]`: needs the graph in PostgreSQL (the default backend). */
export async function seedGraphCommand(config: Config, logger: Logger, vertices: string | undefined): Promise<void> {
  const n = vertices === undefined ? GRAPH_SEED_DEFAULTS.vertices : Number(vertices);
  if (!Number.isInteger(n) || n < 2 || n > 999_999) throw new StartupError(`--vertices must be a whole number from 2 to 999999 (got ${vertices}).`);
  if (config.graph.backend === 'arango' || config.graph.backend === 'memory') {
    throw new StartupError(`seed --graph writes the graph with SQL; GRAPH_BACKEND=${config.graph.backend} keeps it elsewhere. Unset GRAPH_BACKEND.`);
  }
  const registry = await createRegistry(config, logger, { migrate: true });
  try {
    if (!registry.sql) throw new StartupError('seed --graph needs PostgreSQL or the embedded database; STORAGE_BACKEND=memory keeps nothing.');
    const started = Date.now();
    await seedGraph(registry.sql, { ...GRAPH_SEED_DEFAULTS, vertices: n }, (phase, done, total) =>
      process.stderr.write(`\rseeding the graph: ${phase} for ${done}/${total} vertices (${Math.round((100 * done) / total)}%)   `),
    );
    process.stderr.write('\n');
    console.log(`Seeded ${n} vertices and ${3 * n} edges in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await registry.close();
  }
}
