import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { openBenchDatabase } from './database.ts';
import { drive, measure, type Measurement, type Target } from './load.ts';
import { parseOptions } from './options.ts';
import { stopAll } from './processes.ts';
import { writeSection } from './results.ts';
import { startBaseline, startGateway } from './servers.ts';
import { markdownTable } from './table.ts';
import { WORKLOADS } from './workloads.ts';
import { SEED_DEFAULTS } from '../src/seed.ts';

/**
 * `npm run bench:cache`: W1 and W2 on the gateway without and with the Redis evaluation cache
 * (REDIS_URL, default redis://127.0.0.1:6379, under a key prefix of its own), next to the
 * baseline, in one run. Takes the options of `npm run bench` (--duration, --warmup, --quick...).
 */
const REDIS_URL = process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const HEADING = '## Redis evaluation cache (W1, W2)';

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const db = openBenchDatabase(options.databaseUrl, options.schema);
  try {
    await db.prepare();
    const prefix = `strata-bench-${randomBytes(4).toString('hex')}:`;
    const servers: [string, Target][] = [
      ['gateway, no cache', await startGateway(options)],
      ['gateway, Redis cache', await startGateway(options, [], { REDIS_URL: REDIS_URL, KEY_PREFIX: prefix })],
      ['baseline', await startBaseline(options)],
    ];
    // W1's ids rotate over all 10,000 seeded evaluations and each run counts from the first again:
    // without this pass a 10 s run would mostly miss (fill) the cache instead of reading it.
    await prime(servers[1]![1]);
    const rows: string[][] = [];
    for (const workload of WORKLOADS.filter((w) => w.name === 'W1' || w.name === 'W2')) {
      for (const [label, target] of servers) {
        await drive(target, workload, options.warmup || 1, options.connections, 'cw');
        const m: Measurement = await measure(db, target, workload, options.duration, options.connections, 'cm');
        console.log(`${workload.name} ${label}: ${Math.round(m.rps)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, CPU ${m.cpuMs?.toFixed(3)} ms/req`);
        rows.push([workload.name, label, Math.round(m.rps).toLocaleString('en-US'), String(m.p50), String(m.p99), m.cpuMs?.toFixed(3) ?? 'n/a', m.dbCpuMs?.toFixed(3) ?? 'n/a', String(m.failures)]);
      }
    }
    const table = markdownTable(['Workload', 'Server', 'req/s', 'p50 ms', 'p99 ms', 'server CPU ms/req', 'DB CPU ms/req', 'failures'], rows);
    console.log(`\n${table}`);
    if (options.write) writeCacheSection(table, options.duration, options.connections);
  } finally {
    await stopAll();
    await db.close();
  }
}

/** Reads every seeded evaluation once through the cached gateway (W1's requests), 10 at a time. */
async function prime(target: Target): Promise<void> {
  const w1 = WORKLOADS.find((w) => w.name === 'W1')!;
  let next = 0;
  const worker = async () => {
    for (let n = next++; n < SEED_DEFAULTS.evaluations; n = next++) {
      const { method, path, headers, body } = w1.request('gateway', n, 'prime');
      const res = await fetch(`${target.server.origin}${path}`, { method, headers, body });
      if (!res.ok) throw new Error(`priming the cache: HTTP ${res.status}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
}

/** Replaces only this section of bench/RESULTS.md (other benches write the rest). */
function writeCacheSection(table: string, duration: number, connections: number): void {
  writeSection(HEADING, [
    `\`npm run bench:cache\`, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} CPUs, Node ${process.version},`,
    `load average ${loadavg()[0]!.toFixed(1)} at the end; ${connections} connections, ${duration} s per cell after a warm-up.`,
    'W1 reads one evaluation by id: with the cache, the loader reads Redis (one MGET) and PostgreSQL is not asked',
    '(every seeded evaluation is read once through the cached gateway before the runs, so they are hits).',
    'W2 lists a page from PostgreSQL (lists are never cached; the page primes the request\'s loader), so the cache',
    'changes nothing there by design.',
    '',
    table,
  ].join('\n'));
}

main().catch(async (err: unknown) => {
  console.error(`bench:cache failed: ${err instanceof Error ? err.message : String(err)}`);
  await stopAll();
  process.exit(1);
});
