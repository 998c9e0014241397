import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { drive } from './load.ts';
import type { BenchOptions } from './options.ts';
import { startGateway } from './servers.ts';
import { markdownTable } from './table.ts';
import type { Workload } from './workloads.ts';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  /** Microseconds on CLOCK_MONOTONIC, the clock of process.hrtime in every process of the machine. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Microseconds on the clock the profile's sample times use. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

export interface ProfileSummary {
  workload: string;
  file: string;
  busyMs: number;
  markdown: string;
}

/**
 * Starts a second gateway under `node --cpu-prof`, puts `workload` on it, and summarises where its
 * CPU went. It runs after the measurements: the profiler's own cost must not touch the numbers.
 */
export async function profileGateway(options: BenchOptions, workload: Workload): Promise<ProfileSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-bench-prof-'));
  const gateway = await startGateway(options, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const window = { from: 0, to: 0 };
  try {
    await drive(gateway, workload, Math.max(options.warmup, 3), options.connections, 'profw');
    window.from = nowUs();
    await drive(gateway, workload, options.duration, options.connections, 'prof');
    window.to = nowUs();
    // Requests autocannon gave up on at the end are still running: let them finish first.
    await sleep(2000);
  } finally {
    await gateway.server.stop(); // a clean exit is what makes Node write the profile
  }
  // One file per thread (tsx runs its loader hooks on a worker): the main thread's has thread id 0.
  const name = readdirSync(dir).find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f));
  if (!name) throw new Error(`the gateway wrote no CPU profile for its main thread into ${dir}`);
  const file = join(dir, name);
  return { workload: workload.name, file, ...summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, window) };
}

/** Which bucket a function's self time goes to: a package, Node itself, Strata, V8 or GC. */
const SOCKET_WRITES = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String', 'writeAsciiString']);

function category(functionName: string, url: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  // On loopback the kernel runs the receiving side inside the sender's syscall, so socket writes
  // weigh far more here than the bytes suggest; the baseline shows the same.
  if (url === '' && SOCKET_WRITES.has(functionName)) return 'socket writes (syscalls)';
  if (functionName === '(program)') return 'V8/native (unattributed)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('/src/')) return 'strata src';
  if (url === '') return 'other native (JSON.stringify, RegExp, microtasks, ...)';
  return url.replace(/^.*\//, '');
}

function where(url: string, line: number): string {
  const short = url.replace(/^file:\/\/.*?\/node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench)\//, '$1/');
  return short ? `${short}:${line + 1}` : '(native)';
}

/** Self time per function and per category, counting only samples taken inside `window` (startup and warm-up excluded). */
function summarise(profile: CpuProfile, window: { from: number; to: number }): { busyMs: number; markdown: string } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byFunction = new Map<string, number>();
  const byCategory = new Map<string, number>();
  let busy = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    const frame = nodes.get(id)!;
    if (at < window.from || at > window.to || frame.functionName === '(idle)') return;
    busy += us;
    const fn = `${frame.functionName || '(anonymous)'} ${where(frame.url, frame.lineNumber)}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const cat = category(frame.functionName, frame.url);
    byCategory.set(cat, (byCategory.get(cat) ?? 0) + us);
  });
  const share = (us: number) => `${((100 * us) / busy).toFixed(1)}%`;
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  const categories = markdownTable(['Where (self time)', 'share of busy CPU'], top(byCategory, 12).map(([k, v]) => [k, share(v)]));
  const functions = markdownTable(['Function (self time)', 'share'], top(byFunction, 15).map(([k, v]) => [k.replaceAll('|', '\\|'), share(v)]));
  return { busyMs: busy / 1000, markdown: `${categories}\n\n${functions}` };
}
