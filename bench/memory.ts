import { readFileSync } from 'node:fs';
import { openBenchDatabase } from './database.ts';
import { drive } from './load.ts';
import { parseOptions } from './options.ts';
import { stopAll } from './processes.ts';
import { describeCode, codeLine, writeSection } from './results.ts';
import { startGateway } from './servers.ts';
import { markdownTable } from './table.ts';
import { WORKLOADS } from './workloads.ts';

/**
 * `npm run bench:memory`: W2 on the gateway without a pause for `--duration` seconds (default 300
 * here), its resident set size read from /proc every 10 s. Issue 10 asks for RSS under 300 MB and
 * no growth over five minutes: the table shows both, and "growth" compares the last minute with
 * the first minute after warm-up (the heap settles in the first seconds).
 */
const HEADING = '## Memory under sustained W2';
const SAMPLE_MS = 10_000;
const LIMIT_MB = 300;

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(/(\d+)/.exec(line)![1]) / 1024;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), { BENCH_DURATION: '300', ...process.env });
  const db = openBenchDatabase(options.databaseUrl, options.schema);
  const w2 = WORKLOADS.find((w) => w.name === 'W2')!;
  try {
    await db.prepare();
    const code = describeCode();
    const gateway = await startGateway(options);
    const pid = gateway.server.pid;
    await drive(gateway, w2, options.warmup || 3, options.connections, 'memw');
    const samples: { at: number; rss: number; requests: number }[] = [{ at: 0, rss: rssMb(pid), requests: 0 }];
    const started = Date.now();
    let requests = 0;
    const load = drive(gateway, w2, options.duration, options.connections, 'mem').then((r) => (requests = r.requests.total));
    const timer = setInterval(() => {
      samples.push({ at: Math.round((Date.now() - started) / 1000), rss: rssMb(pid), requests: 0 });
      console.log(`${samples.at(-1)!.at} s: RSS ${samples.at(-1)!.rss.toFixed(0)} MB`);
    }, SAMPLE_MS);
    await load;
    clearInterval(timer);
    samples.push({ at: Math.round((Date.now() - started) / 1000), rss: rssMb(pid), requests });
    await gateway.server.stop();
    const report = summarise(samples, requests, options.duration, options.connections, codeLine(code));
    console.log(`\n${report}`);
    if (options.write) writeSection(HEADING, report);
  } finally {
    await stopAll();
    await db.close();
  }
}

function summarise(samples: { at: number; rss: number }[], requests: number, duration: number, connections: number, code: string): string {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const first = mean(samples.filter((s) => s.at > 0 && s.at <= 60).map((s) => s.rss));
  const last = mean(samples.filter((s) => s.at >= duration - 60).map((s) => s.rss));
  const peak = Math.max(...samples.map((s) => s.rss));
  const rows = samples.map((s) => [String(s.at), s.rss.toFixed(0)]);
  return [
    `\`npm run bench:memory\`, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: W2 for ${duration} s on ${connections} connections (${requests.toLocaleString('en-US')} requests) after a warm-up, RSS of the gateway process every ${SAMPLE_MS / 1000} s. ${code}`,
    '',
    `Peak ${peak.toFixed(0)} MB (limit ${LIMIT_MB} MB: ${peak < LIMIT_MB ? 'met' : 'NOT met'}); mean of the first minute ${first.toFixed(0)} MB, of the last minute ${last.toFixed(0)} MB (${last - first >= 0 ? '+' : ''}${(last - first).toFixed(0)} MB).`,
    '',
    markdownTable(['seconds', 'RSS MB'], rows),
  ].join('\n');
}

main().catch(async (err: unknown) => {
  console.error(`bench:memory failed: ${err instanceof Error ? err.message : String(err)}`);
  await stopAll();
  process.exit(1);
});
