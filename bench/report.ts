import type { ProfileSummary } from './profile.ts';
import type { BenchOptions } from './options.ts';
import { codeLine, machineLine, type CodeState, type Machine } from './results.ts';
import { cpuTable, ratio, throughputTable, type Row } from './table.ts';

/** The text a run puts into RESULTS.md: the latest-run block and one history row. */

/** Other work on a small machine moves throughput a lot: say so next to the numbers it touched. */
function noiseWarning(rows: Row[]): string[] {
  const worst = Math.max(...rows.flatMap((r) => [r.gateway.otherCores, r.baseline.otherCores]));
  if (worst < 0.25) return [];
  return [`- Noise: other processes kept up to ${worst.toFixed(2)} cores busy during some runs (see "other load" below); req/s moves with it, CPU per request much less.`];
}

export function report(rows: Row[], machine: Machine, code: CodeState, options: BenchOptions, profile: ProfileSummary | null): string {
  const args = process.argv.slice(2).join(' ');
  const parts = [
    `## Latest run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `- Command: \`npm run bench${args ? ` -- ${args}` : ''}\` (${options.connections} connections, ${options.warmup} s warm-up, ${options.duration} s measured per workload and server, ${options.rounds} round(s)${options.rounds > 1 ? ', per workload the round with the median ratio' : ''})`,
    `- Machine: ${machineLine(machine)}`,
    `- Code: ${codeLine(code)}`,
    `- Data: \`strata seed\` defaults (10,000 evaluations, 10 events and 20 metrics each) in schema \`${options.schema}\``,
    ...noiseWarning(rows),
    '',
    '### Throughput and latency',
    '',
    throughputTable(rows),
    '',
    '### CPU per request',
    '',
    'Server CPU is utime+stime of the server process from /proc/<pid>/stat; DB CPU is the same for the PostgreSQL backends',
    "holding the server's connections (found by application_name). Autocannon runs in the bench process on the same",
    'machine; other load is every other busy core meanwhile (other users, PostgreSQL background writers, kernel network',
    'work not charged to a process): a noise indicator.',
    '',
    cpuTable(rows),
  ];
  if (profile) {
    parts.push('', `### Gateway CPU profile under ${profile.workload}`, '', `\`node --cpu-prof\`, ${(profile.busyMs / 1000).toFixed(1)} s of busy CPU sampled (main thread).`, '', profile.markdown);
  }
  return parts.join('\n');
}

/** One line per run: the ratios, the settings and how busy the rest of the machine was. */
export function historyRow(rows: Row[], code: CodeState, options: BenchOptions): string {
  const cell = (name: string) => {
    const row = rows.find((r) => r.workload === name);
    return row ? ratio(row).toFixed(2) : '-';
  };
  const other = Math.max(...rows.flatMap((r) => [r.gateway.otherCores, r.baseline.otherCores]));
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const settings = `${options.connections} conn, ${options.duration} s, ${options.rounds} round(s)`;
  return `| ${date} | ${code.commit}${code.uncommitted ? '+' : ''} | ${settings} | ${['W1', 'W2', 'W3', 'W4'].map(cell).join(' | ')} | ${other.toFixed(2)} |`;
}
