import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export type Op = (i: number) => Promise<unknown>;

export interface Result {
  ops: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** `concurrency` loops issue `op` back to back for `durationMs` after a warm-up; latencies in ms. */
export async function measure(op: Op, durationMs: number, concurrency: number): Promise<Result> {
  for (let i = 0; i < 200; i++) await op(i); // warm-up: JIT, connections, script cache
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + durationMs;
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await op(n++);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { ops: latencies.length, perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}

export const rate = (r: Result) => Math.round(r.perSecond).toLocaleString('en-US');
export const ms = (n: number) => n.toFixed(2);

/**
 * Replaces the "## KV" section of bench/RESULTS.md (or appends it). Other benchmarks write other
 * sections of the file concurrently, so it is read right before writing and nothing else changes.
 */
export function writeKvSection(section: string): void {
  const file = new URL('./RESULTS.md', import.meta.url);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf('\n## KV\n');
  const next = start >= 0 ? current.indexOf('\n## ', start + 1) : -1;
  const updated = start < 0 ? `${current.trimEnd()}\n\n${section}` : `${current.slice(0, start)}\n${section}${next >= 0 ? current.slice(next) : ''}`;
  writeFileSync(file, updated);
}
