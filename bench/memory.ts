import { readFileSync } from 'node:fs';
import { openBenchDatabase } from './database.ts';
import { drive } from './load.ts';
import { parseOptions } from './options.ts';
import { stopAll } from './processes.ts';
import { describeCode, codeLine, writeSection } from './results.ts';
import { buildGateway, GATEWAY_SCRIPT, startGateway, type GatewayRuntime } from './servers.ts';
import { markdownTable } from './table.ts';
import { WORKLOADS } from './workloads.ts';

/**
 * `npm run bench:memory`: W2 on the gateway without a pause for `--duration` seconds (default 300
 * here), its resident set size read from /proc every 10 s. Issue 10 asks for RSS under 300 MB and
 * no growth over five minutes: the table shows both, and "growth" compares the last minute with
 * the first minute after warm-up (the heap settles in the first seconds). `--built` measures the
 * compiled server (`npm run build`, then `node dist/src/cli.js serve`) instead of tsx's, in a
 * section of its own: tsx's loader thread and transforms are some 70 MB of what `npm start` holds.
 */
const HEADINGS: Record<GatewayRuntime, string> = { tsx: '## Memory under sustained W2', built: '## Memory under sustained W2, compiled (`npm run build`)' };
const USAGE = `Usage: npm run bench:memory -- [--built] [options]
  --built           run \`npm run build\` and measure \`node ${GATEWAY_SCRIPT.built} serve\` (what
                    \`npm run start:built\` runs) instead of \`node ${GATEWAY_SCRIPT.tsx} serve\` (tsx)
  --duration S      seconds of W2 (default 300 here); the other options are npm run bench's:`;
const SAMPLE_MS = 10_000;
const LIMIT_MB = 300;

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(/(\d+)/.exec(line)![1]) / 1024;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // --built is this bench's own flag; the rest are the shared ones parseOptions knows (and prints).
  const runtime: GatewayRuntime = argv.includes('--built') ? 'built' : 'tsx';
  if (argv.includes('--help') || argv.includes('-h')) console.log(USAGE);
  const options = parseOptions(argv.filter((a) => a !== '--built'), { BENCH_DURATION: '300', ...process.env });
  if (runtime === 'built') buildGateway(); // first: a failed build should not wait for the seeding
  const db = openBenchDatabase(options.databaseUrl, options.schema);
  const w2 = WORKLOADS.find((w) => w.name === 'W2')!;
  try {
    await db.prepare();
    const code = describeCode();
    const gateway = await startGateway(options, [], {}, runtime);
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
    const command = runtime === 'built' ? '`npm run bench:memory -- --built`' : '`npm run bench:memory`';
    const report = summarise(command, samples, requests, options.duration, options.connections, `Gateway: \`node ${GATEWAY_SCRIPT[runtime]} serve\`, ${codeLine(code)}`);
    console.log(`\n${report}`);
    if (options.write) writeSection(HEADINGS[runtime], report);
  } finally {
    await stopAll();
    await db.close();
  }
}

function summarise(command: string, samples: { at: number; rss: number }[], requests: number, duration: number, connections: number, code: string): string {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const first = mean(samples.filter((s) => s.at > 0 && s.at <= 60).map((s) => s.rss));
  const last = mean(samples.filter((s) => s.at >= duration - 60).map((s) => s.rss));
  const peak = Math.max(...samples.map((s) => s.rss));
  const rows = samples.map((s) => [String(s.at), s.rss.toFixed(0)]);
  return [
    `${command}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: W2 for ${duration} s on ${connections} connections (${requests.toLocaleString('en-US')} requests) after a warm-up, RSS of the gateway process every ${SAMPLE_MS / 1000} s. ${code}`,
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
