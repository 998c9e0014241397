import type { Measurement } from './load.ts';

/** Goal of issue 2 for W1-W3 (issue 10 extends it to W4): gateway req/s at least this share of the baseline's. */
export const GOAL_RATIO = 0.6;

export interface Row {
  workload: string;
  title: string;
  gateway: Measurement;
  baseline: Measurement;
}

/** A Markdown table with padded columns, so it reads the same in a terminal and in RESULTS.md. */
export function markdownTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

const fixed = (n: number | null, digits: number) => (n === null ? 'n/a' : n.toFixed(digits));
// autocannon records latency in whole milliseconds: 0 means "under one".
const ms = (n: number) => (n === 0 ? '<1' : String(n));
const rps = (n: number) => Math.round(n).toLocaleString('en-US');

export function ratio(row: Row): number {
  return row.gateway.rps / row.baseline.rps;
}

function verdict(row: Row): string {
  const r = ratio(row);
  return r >= GOAL_RATIO ? 'yes' : 'no';
}

/** Throughput and latency: the numbers the goal is about. */
export function throughputTable(rows: readonly Row[]): string {
  return markdownTable(
    ['Workload', 'gateway req/s', 'p50 ms', 'p99 ms', 'baseline req/s', 'p50 ms', 'p99 ms', 'gateway/baseline', `>= ${GOAL_RATIO}`],
    rows.map((r) => [
      `${r.workload} ${r.title}`,
      rps(r.gateway.rps),
      ms(r.gateway.p50),
      ms(r.gateway.p99),
      rps(r.baseline.rps),
      ms(r.baseline.p50),
      ms(r.baseline.p99),
      fixed(ratio(r), 2),
      verdict(r),
    ]),
  );
}

/** Where the time goes: CPU per request in each server process and in its PostgreSQL backends. */
export function cpuTable(rows: readonly Row[]): string {
  return markdownTable(
    ['Workload', 'gateway CPU ms/req', 'baseline CPU ms/req', 'CPU ratio', 'gateway DB ms/req', 'baseline DB ms/req', 'autocannon cores g/b', 'other load cores g/b', 'failures g/b'],
    rows.map((r) => [
      r.workload,
      fixed(r.gateway.cpuMs, 3),
      fixed(r.baseline.cpuMs, 3),
      r.gateway.cpuMs && r.baseline.cpuMs ? fixed(r.gateway.cpuMs / r.baseline.cpuMs, 1) : 'n/a',
      fixed(r.gateway.dbCpuMs, 3),
      fixed(r.baseline.dbCpuMs, 3),
      `${fixed(r.gateway.loadCores, 2)} / ${fixed(r.baseline.loadCores, 2)}`,
      `${fixed(r.gateway.otherCores, 2)} / ${fixed(r.baseline.otherCores, 2)}`,
      `${r.gateway.failures} / ${r.baseline.failures}`,
    ]),
  );
}
