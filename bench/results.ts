import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';

export const RESULTS_FILE = new URL('./RESULTS.md', import.meta.url);

const BEGIN = '<!-- bench:begin: written by `npm run bench`; edits between these markers are overwritten -->';
const END = '<!-- bench:end -->';

export interface Machine {
  cpus: number;
  model: string;
  memoryGiB: number;
  node: string;
  postgres: string;
  kernel: string;
  /** 1-minute load average when the run started: other work on the machine skews the numbers. */
  loadAtStart: number;
}

export function describeMachine(postgresVersion: string): Machine {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  return {
    cpus: availableParallelism(),
    model: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: postgresVersion,
    kernel: release(),
    loadAtStart: loadavg()[0]!,
  };
}

export function machineLine(m: Machine): string {
  return (
    `${m.cpus} CPUs (${m.model}), ${m.memoryGiB} GiB RAM, Linux ${m.kernel}, Node ${m.node}, PostgreSQL ${m.postgres} ` +
    `on 127.0.0.1; load average ${m.loadAtStart.toFixed(2)} at start`
  );
}

export interface CodeState {
  /** Short sha of HEAD, or 'unknown'. */
  commit: string;
  /** Files under src/, migrations/, bin/ (and the lockfile) that differ from HEAD. */
  uncommitted: number;
}

/**
 * The code that was measured. Several people change this tree at once and a run measures whatever
 * is on disk, so the commit alone does not say it: the count of uncommitted files goes with it.
 */
export function describeCode(): CodeState {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: new URL('..', import.meta.url), encoding: 'utf8' }).trim();
  try {
    const changed = git('status', '--porcelain', '--', 'src', 'migrations', 'bin', 'package-lock.json');
    return { commit: git('rev-parse', '--short', 'HEAD'), uncommitted: changed ? changed.split('\n').length : 0 };
  } catch {
    return { commit: 'unknown', uncommitted: 0 };
  }
}

export function codeLine(code: CodeState): string {
  return `git ${code.commit}${code.uncommitted ? ` plus ${code.uncommitted} uncommitted file(s) in src/, migrations/ or bin/` : ', clean'}`;
}

const HISTORY_BEGIN = '<!-- bench:history: one row appended per `npm run bench`, newest last -->';
const HISTORY_END = '<!-- bench:history:end -->';
const HISTORY_HEADER = `| Run (UTC) | Code (+ = uncommitted changes) | Settings | W1 | W2 | W3 | W4 | max other load (cores) |
|-----------|------|----------|---:|---:|---:|---:|---:|`;
const HISTORY_ROWS = 30;

const SKELETON = `# Benchmarks

\`npm run bench\` measures the gateway against a hand-written \`node:http\` + \`pg\` baseline
(bench/baseline.ts) on the four workloads of issue 2.

${BEGIN}
${END}

## Run history (gateway/baseline req/s)

${HISTORY_BEGIN}
${HISTORY_END}

## Analysis

_Not written yet._
`;

/** Swaps what lies between two markers (added at the end when missing), keeping the rest. */
function replaceBetween(text: string, begin: string, end: string, content: (old: string) => string): string {
  const base = text.includes(begin) && text.indexOf(end) > text.indexOf(begin) ? text : `${text.trimEnd()}\n\n${begin}\n${end}\n`;
  const from = base.indexOf(begin) + begin.length;
  const to = base.indexOf(end);
  return `${base.slice(0, from)}\n${content(base.slice(from, to)).trim()}\n${base.slice(to)}`;
}

/**
 * Replaces the latest-run block of RESULTS.md and appends `historyRow` to the run history, so
 * ratios can be compared across runs on a noisy machine. Text written by hand around both stays.
 */
export function writeResults(block: string, historyRow: string): void {
  const current = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, 'utf8') : SKELETON;
  const withLatest = replaceBetween(current, BEGIN, END, () => block);
  const withHistory = replaceBetween(withLatest, HISTORY_BEGIN, HISTORY_END, (old) => {
    const rows = old.split('\n').filter((line) => line.startsWith('| ') && !HISTORY_HEADER.includes(line));
    return [HISTORY_HEADER, ...[...rows, historyRow].slice(-HISTORY_ROWS)].join('\n');
  });
  writeFileSync(RESULTS_FILE, withHistory);
}

/**
 * Replaces one `## heading` section of bench/RESULTS.md (up to the next `## `), or appends it:
 * the side benches (cache, memory) each own one section and leave the rest alone.
 */
export function writeSection(heading: string, body: string): void {
  const text = `${heading}\n\n${body.trimEnd()}\n`;
  const current = readFileSync(RESULTS_FILE, 'utf8');
  const start = current.indexOf(`\n${heading}\n`);
  if (start === -1) return writeFileSync(RESULTS_FILE, `${current.trimEnd()}\n\n${text}`);
  const next = current.indexOf('\n## ', start + 1);
  writeFileSync(RESULTS_FILE, `${current.slice(0, start + 1)}${text}${next === -1 ? '' : `\n${current.slice(next + 1)}`}`);
}
