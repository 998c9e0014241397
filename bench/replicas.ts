import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { machineBusyMs, processCpuMs, selfCpuMs, snapshot, spentBetween } from './cpu.ts';
import { openBenchDatabase, type BenchDatabase } from './database.ts';
import { drive, type Target } from './load.ts';
import { parseOptions, type BenchOptions } from './options.ts';
import { stopAll } from './processes.ts';
import { redisDelta, startBenchRedis, statementsPerRequest, type BenchRedis } from './replica-costs.ts';
import { codeLine, describeCode, describeMachine, machineLine, RESULTS_FILE } from './results.ts';
import { startGateway } from './servers.ts';
import { markdownTable } from './table.ts';
import { SEED_DEFAULTS } from '../src/seed.ts';
import { UPDATE_WORKLOAD } from './update-workload.ts';
import { seedId, WORKLOADS, type HttpRequest, type Workload } from './workloads.ts';

/**
 * `npm run bench:replicas`: the same load on one gateway process and on two, both with Redis (as a
 * deployment of several replicas runs), and what each request costs every tier: gateway CPU,
 * PostgreSQL CPU, scans and row writes, Redis commands and Redis CPU. The load is spread over two
 * replicas round-robin by connection: two autocannon instances, each with half the connections,
 * one per replica (what a load balancer in front of them does). Takes `npm run bench`'s options.
 */
const HEADING = '## Gateway replicas (one versus two)';
const APP = 'strata-bench-gateway';

interface Cell {
  workload: string;
  replicas: number;
  requests: number;
  rps: number;
  /** The worst of the load generators' percentiles (one per replica). */
  p50: number;
  p99: number;
  failures: number;
  gatewayCpuMs: number;
  /** Cores the gateway processes kept busy, each. */
  gatewayCores: number[];
  dbCpuMs: number;
  redisOps: number;
  redisUsec: number;
  redisCpuMs: number;
  redisTop: [string, number][];
  otherCores: number;
}

async function measureSpread(db: BenchDatabase, redis: BenchRedis, targets: Target[], workload: Workload, seconds: number, connections: number, tag: string): Promise<Cell> {
  const backends = await db.backendPids(APP);
  const pids = targets.map((t) => t.server.pid);
  const before = {
    gateways: pids.map((p) => processCpuMs(p) ?? 0),
    db: snapshot(backends),
    redisCpu: processCpuMs(redis.pid) ?? 0,
    redis: await redis.commandStats(),
    machine: machineBusyMs(),
    self: selfCpuMs(),
    at: Date.now(),
  };
  const perTarget = Math.max(1, Math.round(connections / targets.length));
  const results = await Promise.all(targets.map((t, i) => drive(t, workload, seconds, perTarget, `${tag}${i}`)));
  const wallMs = Date.now() - before.at;
  const gateways = pids.map((p, i) => (processCpuMs(p) ?? 0) - before.gateways[i]!);
  const dbMs = spentBetween(before.db, snapshot([...new Set([...backends, ...(await db.backendPids(APP))])]));
  const redisCpu = (processCpuMs(redis.pid) ?? 0) - before.redisCpu;
  const machine = machineBusyMs() - before.machine;
  const self = selfCpuMs() - before.self;
  const redisAfter = await redis.commandStats();

  const requests = results.reduce((n, r) => n + r.requests.total, 0);
  const gatewayMs = gateways.reduce((a, b) => a + b, 0);
  const r = redisDelta(before.redis, redisAfter, requests);
  return {
    workload: workload.name,
    replicas: targets.length,
    requests,
    rps: results.reduce((n, res) => n + res.requests.total / res.duration, 0),
    p50: Math.max(...results.map((res) => res.latency.p50)),
    p99: Math.max(...results.map((res) => res.latency.p99)),
    failures: results.reduce((n, res) => n + res.non2xx + res.errors + res.timeouts, 0),
    gatewayCpuMs: gatewayMs / requests,
    gatewayCores: gateways.map((ms) => ms / wallMs),
    dbCpuMs: dbMs / requests,
    redisOps: r.opsPerRequest,
    redisUsec: r.usecPerRequest,
    redisCpuMs: redisCpu / requests,
    redisTop: r.top,
    otherCores: Math.max(0, (machine - gatewayMs - dbMs - redisCpu - self) / wallMs),
  };
}

/**
 * Reads every seeded evaluation once through one gateway, 50 per request, so W1 measures a warm
 * shared cache on one replica and on two alike (W1's ids rotate over all of them).
 */
async function warmCache(target: Target): Promise<void> {
  for (let start = 0; start < SEED_DEFAULTS.evaluations; start += 50) {
    const fields = Array.from({ length: 50 }, (_, i) => `e${i}: evaluation(id: "${seedId(start + i)}") { id }`).join(' ');
    const res = await fetch(`${target.server.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ ${fields} }` }) });
    if (!res.ok) throw new Error(`warming the cache: HTTP ${res.status}`);
    await res.arrayBuffer();
  }
}

/** Warm-up on every gateway of the set (JIT, pools, cache), then the measured run. */
async function runCell(db: BenchDatabase, redis: BenchRedis, set: Target[], workload: Workload, options: BenchOptions, tag: string): Promise<Cell> {
  const prepare = async () => {
    if (workload === UPDATE_WORKLOAD) await UPDATE_WORKLOAD.prepare((r) => sendTo(set[0]!, r));
  };
  await prepare();
  await Promise.all(set.map((t, i) => drive(t, workload, options.warmup || 1, Math.max(1, Math.round(options.connections / set.length)), `${tag}w${set.length}${i}`)));
  if (workload.writes) await db.resetWrites();
  await prepare();
  const cell = await measureSpread(db, redis, set, workload, options.duration, options.connections, `${tag}m${set.length}`);
  if (workload.writes) await db.resetWrites();
  console.log(`${workload.name} x${set.length}: ${int(cell.rps)} req/s, p99 ${cell.p99} ms, gateway ${f(cell.gatewayCpuMs, 3)} ms/req, PG ${f(cell.dbCpuMs, 3)} ms/req, Redis ${f(cell.redisOps, 2)} cmds/req, other load ${f(cell.otherCores, 2)} cores`);
  return cell;
}

async function sendTo(target: Target, r: HttpRequest): Promise<void> {
  const res = await fetch(`${target.server.origin}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
  const body = (await res.json()) as { errors?: unknown[] };
  if (!res.ok || body.errors) throw new Error(`preparing: HTTP ${res.status} ${JSON.stringify(body.errors)}`);
}

/** What the gateways of the load runs are configured with (servers.ts), for the in-process statement count. */
function benchEnv(options: BenchOptions): NodeJS.ProcessEnv {
  return { DATABASE_URL: options.databaseUrl, DATABASE_SCHEMA: options.schema, NODE_ENV: 'production' };
}

const f = (n: number, d: number) => n.toFixed(d);
const int = (n: number) => Math.round(n).toLocaleString('en-US');

function tables(cells: Cell[], statements: Map<string, number>): string {
  const throughput = markdownTable(
    ['Workload', 'replicas', 'req/s', 'vs 1', 'p50 ms', 'p99 ms', 'gateway cores busy', 'other load cores', 'failures'],
    cells.map((c) => {
      const one = cells.find((o) => o.workload === c.workload && o.replicas === 1)!;
      return [c.workload, String(c.replicas), int(c.rps), f(c.rps / one.rps, 2), String(c.p50), String(c.p99), c.gatewayCores.map((x) => f(x, 2)).join(' + '), f(c.otherCores, 2), String(c.failures)];
    }),
  );
  const costs = markdownTable(
    ['Workload', 'replicas', 'gateway CPU ms/req', 'PG CPU ms/req', 'PG statements/req', 'Redis cmds/req', 'Redis µs/req (commandstats)', 'Redis CPU ms/req', 'Redis commands (per req)'],
    cells.map((c) => [
      c.workload,
      String(c.replicas),
      f(c.gatewayCpuMs, 3),
      f(c.dbCpuMs, 3),
      `${f(statements.get(c.workload) ?? NaN, 2)}${statements.has(`${c.workload} without cache`) ? ` (${f(statements.get(`${c.workload} without cache`)!, 2)} without cache)` : ''}`,
      f(c.redisOps, 2),
      f(c.redisUsec, 1),
      f(c.redisCpuMs, 3),
      c.redisTop.map(([name, n]) => `${name} ${f(n, 2)}`).join(', ') || 'none',
    ]),
  );
  return `${throughput}\n\n${costs}`;
}

async function main(): Promise<void> {
  const options: BenchOptions = parseOptions(process.argv.slice(2));
  const workloads = [...WORKLOADS, UPDATE_WORKLOAD].filter((w) => (options.only ?? ['W1', 'W2', 'W4', 'W5']).includes(w.name));
  const db = openBenchDatabase(options.databaseUrl, options.schema);
  const redis = await startBenchRedis();
  try {
    await db.prepare();
    const machine = describeMachine(await db.serverVersion());
    const code = describeCode();
    const env = { REDIS_URL: redis.url, KEY_PREFIX: `strata-bench-${randomBytes(4).toString('hex')}:` };
    const gateways = [await startGateway(options, [], env), await startGateway(options, [], env)];
    const cells: Cell[] = [];
    const tag = Date.now().toString(36);
    if (workloads.some((w) => w.name === 'W1')) await warmCache(gateways[0]!);
    for (const workload of workloads) {
      const rounds: Cell[][] = [];
      for (let round = 1; round <= options.rounds; round++) {
        const order = round % 2 === 1 ? [gateways.slice(0, 1), gateways] : [gateways, gateways.slice(0, 1)];
        const pair: Cell[] = [];
        for (const set of order) pair.push(await runCell(db, redis, set, workload, options, `${tag}r${round}`));
        rounds.push(pair.sort((x, y) => x.replicas - y.replicas));
      }
      // The round whose two-versus-one ratio is the median: both ran back to back, under the same noise.
      const ratio = (pair: Cell[]) => pair[1]!.rps / pair[0]!.rps;
      cells.push(...[...rounds].sort((x, y) => ratio(x) - ratio(y))[Math.floor((rounds.length - 1) / 2)]!);
    }
    await sleep(2000); // requests autocannon abandoned at the end are still being answered
    await stopAll();
    const statements = await statementsPerRequest({ ...benchEnv(options), ...env }, workloads);
    const uncached = await statementsPerRequest({ ...benchEnv(options), CACHE_ENABLED: 'false' }, workloads.filter((w) => w.name === 'W1'));
    for (const [name, n] of uncached) statements.set(`${name} without cache`, n);
    await db.resetWrites();
    const text = tables(cells, statements);
    console.log(`\n${text}\n`);
    if (options.write) await writeSection(text, machineLine(machine), codeLine(code), options);
  } finally {
    await stopAll();
    await redis.stop();
    await db.close();
  }
}

/** Replaces only this section of bench/RESULTS.md (other benches write the rest). */
async function writeSection(text: string, machine: string, code: string, options: BenchOptions): Promise<void> {
  const section = [
    HEADING,
    '',
    `Written by \`npm run bench:replicas\` (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${code}).`,
    `Machine: ${machine}. ${options.connections} connections in total (split evenly over the replicas), ${options.warmup} s warm-up and`,
    `${options.duration} s measured per cell, ${options.rounds} round(s) with the order of the two setups alternating (per workload, the round`,
    'with the median two-versus-one ratio is shown). W1, W2, W4 as in `npm run bench`; W5 is `updateEvaluation(retries)` on 1,000',
    'evaluations of its own (bench/update-workload.ts). Every gateway: `strata serve`, NODE_ENV=production, pool of 10, REDIS_URL set (evaluation cache on, a',
    'redis-server of the bench\'s own so INFO commandstats counts only the gateways\' commands). PG statements are counted by the SQL client',
    'of a gateway built in the bench process on the same database and Redis (300 sequential requests after 300 warm-up ones); PG CPU is the gateways\' backends (application_name); CPU is read from /proc.',
    '',
    text,
    '',
  ].join('\n');
  const current = await readFile(RESULTS_FILE, 'utf8');
  const start = current.indexOf(`\n${HEADING}\n`);
  if (start === -1) return writeFile(RESULTS_FILE, `${current.trimEnd()}\n\n${section}`);
  // Hand-written analysis below the generated block stays: it starts at the marker line.
  const marker = current.indexOf('\n<!-- replicas:analysis -->', start);
  const next = current.indexOf('\n## ', start + 1);
  const end = marker !== -1 && (next === -1 || marker < next) ? marker : next;
  await writeFile(RESULTS_FILE, `${current.slice(0, start + 1)}${section}${end === -1 ? '' : current.slice(end + 1)}`);
}

main().catch(async (err: unknown) => {
  console.error(`bench:replicas failed: ${err instanceof Error ? err.message : String(err)}`);
  await stopAll();
  process.exit(1);
});
