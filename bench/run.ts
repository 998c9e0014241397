import { setTimeout as sleep } from 'node:timers/promises';
import { checkEquivalent } from './check.ts';
import { openBenchDatabase, type BenchDatabase } from './database.ts';
import { drive, measure, type Measurement, type Target } from './load.ts';
import { parseOptions, type BenchOptions } from './options.ts';
import { stopAll } from './processes.ts';
import { profileGateway, type ProfileSummary } from './profile.ts';
import { historyRow, report } from './report.ts';
import { describeCode, describeMachine, RESULTS_FILE, writeResults } from './results.ts';
import { startBaseline, startGateway } from './servers.ts';
import { cpuTable, ratio, throughputTable, type Row } from './table.ts';
import { WORKLOADS, type Workload } from './workloads.ts';

/**
 * `npm run bench`: seeds a dedicated schema, starts the gateway and the baseline as child
 * processes, checks they return the same data, puts the same load on both, and reports.
 * Run order per workload: check, then for each server a warm-up and a measured run.
 */

const log = (line: string) => console.log(line);

function describe(m: Measurement): string {
  const cpu = m.cpuMs === null ? 'n/a' : m.cpuMs.toFixed(3);
  return `${Math.round(m.rps)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, CPU ${cpu} ms/req${m.failures ? `, ${m.failures} FAILED` : ''}`;
}

async function runTarget(db: BenchDatabase, target: Target, workload: Workload, options: BenchOptions, tag: string): Promise<Measurement> {
  const label = `${workload.name} ${target.name.padEnd(8)}`;
  if (options.warmup > 0) {
    await drive(target, workload, options.warmup, options.connections, `${tag}w`);
    if (workload.writes) await db.resetWrites();
  }
  const m = await measure(db, target, workload, options.duration, options.connections, `${tag}m`);
  if (workload.writes) await db.resetWrites();
  log(`  ${label} ${describe(m)}`);
  return m;
}

/** Rounds x workloads x servers; the order of the servers alternates between rounds. */
async function runAll(db: BenchDatabase, targets: Target[], workloads: readonly Workload[], options: BenchOptions): Promise<Row[]> {
  const tag = Date.now().toString(36);
  for (const w of workloads) {
    const sizes = await checkEquivalent(w, targets, `${tag}c`);
    if (w.writes) await db.resetWrites();
    log(`checked ${w.name} (${w.title}): same data from both; response bytes ${JSON.stringify(sizes)}`);
  }
  const rounds: Row[][] = [];
  for (let round = 1; round <= options.rounds; round++) {
    log(`round ${round}/${options.rounds}: ${options.connections} connections, ${options.warmup} s warm-up + ${options.duration} s measured each`);
    const rows: Row[] = [];
    for (const w of workloads) {
      const order = round % 2 === 1 ? targets : [...targets].reverse();
      const runs: Measurement[] = [];
      for (const t of order) runs.push(await runTarget(db, t, w, options, `${tag}r${round}`));
      const pick = (name: string) => runs.find((m) => m.target === name)!;
      rows.push({ workload: w.name, title: w.title, gateway: pick('gateway'), baseline: pick('baseline') });
    }
    rounds.push(rows);
  }
  return workloads.map((_, i) => medianRound(rounds.map((rows) => rows[i]!)));
}

/**
 * The round whose ratio is the median. Ratios are taken within a round, where both servers ran
 * back to back under the same conditions, so other load on the machine affects both alike.
 */
function medianRound(rows: Row[]): Row {
  const sorted = [...rows].sort((a, b) => ratio(a) - ratio(b));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const workloads = WORKLOADS.filter((w) => !options.only || options.only.includes(w.name));
  if (workloads.length === 0) throw new Error(`--only matches no workload (have ${WORKLOADS.map((w) => w.name).join(', ')})`);
  const db = openBenchDatabase(options.databaseUrl, options.schema);
  try {
    log(`preparing schema ${options.schema}`);
    await db.prepare();
    const machine = describeMachine(await db.serverVersion());
    const code = describeCode(); // before the run: the tree may change while it measures
    const targets = [await startGateway(options), await startBaseline(options)];
    log(`gateway at ${targets[0]!.server.origin}/graphql (pid ${targets[0]!.server.pid}), baseline at ${targets[1]!.server.origin} (pid ${targets[1]!.server.pid})`);
    const rows = await runAll(db, targets, workloads, options);
    await sleep(2000); // requests autocannon abandoned at the end of the last run are still running
    await Promise.all(targets.map((t) => t.server.stop()));
    log(`\n${throughputTable(rows)}\n\n${cpuTable(rows)}\n`);
    const profiled = workloads.find((w) => w.name === options.profileWorkload);
    let profile: ProfileSummary | null = null;
    if (options.profile && profiled) {
      log(`profiling the gateway under ${profiled.name} (node --cpu-prof)`);
      profile = await profileGateway(options, profiled);
      log(`${profile.markdown}\n\nprofile: ${profile.file}`);
    }
    if (options.write) {
      writeResults(report(rows, machine, code, options, profile), historyRow(rows, code, options));
      log(`updated ${RESULTS_FILE.pathname}`);
    }
  } finally {
    await stopAll();
    await db.close();
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the servers`);
    void stopAll().finally(() => process.exit(130));
  });
}

main().catch((err: unknown) => {
  // The message says what failed; a cause (e.g. the diff of an equivalence check) says why.
  const { message, cause } = err instanceof Error ? err : { message: String(err), cause: undefined };
  console.error(`bench failed: ${message}${cause instanceof Error ? `\n${cause.message}` : ''}`);
  process.exit(1); // the 'exit' hook in processes.ts kills any server still running
});
