import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';

export interface GraphRow {
  direction: string;
  depth: number;
  p50: number;
  p99: number;
  sequential: number;
  concurrent: number;
  paths: number;
}

const FILE = new URL('./RESULTS.md', import.meta.url);
const HEADING = '## Graph traversals';

function section(rows: readonly GraphRow[], run: { samples: number; concurrentMs: number; concurrency: number }, pgVersion: string): string {
  const table = rows.map((r) => `| ${r.direction} | ${r.depth} | ${r.paths.toFixed(1)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.sequential.toFixed(0)} | ${r.concurrent.toFixed(0)} |`);
  return [
    HEADING,
    '',
    `\`npm run bench:graph\` (bench/graph.ts), run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} CPUs (load average ${loadavg()[0]!.toFixed(1)} at the end), ${pgVersion}.`,
    'Graph of `strata seed --graph`: 100,000 vertices (20% tasks, 80% results), 300,000 edges (3 out of every',
    'vertex, types produced / depends_on / feeds, spread by a multiplicative hash, so cycles abound). Each traversal',
    'starts at a random vertex (fixed seed), goes through GraphService.traverse (checks, one recursive-CTE statement,',
    'records) with minDepth 1 and the default limit (MAX_PAGE_SIZE, 500 paths). Latency: ' + `${run.samples} sequential traversals`,
    `after 50 warm-up ones. Throughput: sequential, and with ${run.concurrency} in flight for ${run.concurrentMs / 1000} s over the default pool of 10.`,
    ...(loadavg()[0]! > cpus().length / 2 ? ['Other work shared the machine during this run (see the load average): read the numbers as upper bounds on latency.'] : []),
    'Where the time goes at depth 5 (measured separately): about a third walks and sorts the paths (index-only scans on',
    'graph_edges), the rest fetches the ~360 vertex and edge rows of the page and ships them as JSON.',
    '',
    '| direction | max depth | paths returned (avg) | p50 ms | p99 ms | traversals/s (1 at a time) | traversals/s (8 in flight) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...table,
    '',
  ].join('\n');
}

/**
 * Puts the graph section into bench/RESULTS.md. Another bench writes the rest of that file, so it
 * is read right before writing and only this section (from its heading to the next `## `) changes.
 */
export async function writeGraphSection(rows: readonly GraphRow[], run: { samples: number; concurrentMs: number; concurrency: number }, pgVersion = 'PostgreSQL'): Promise<void> {
  const current = await readFile(FILE, 'utf8').catch(() => '# Benchmarks\n');
  const mine = section(rows, run, pgVersion);
  const start = current.indexOf(`\n${HEADING}\n`);
  if (start === -1) return writeFile(FILE, `${current.trimEnd()}\n\n${mine}`);
  const next = current.indexOf('\n## ', start + 1);
  await writeFile(FILE, `${current.slice(0, start + 1)}${mine}${next === -1 ? '' : current.slice(next)}`);
}
