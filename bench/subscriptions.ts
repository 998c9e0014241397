import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import pg from 'pg';
import { measureFanout, type FanoutResult } from './subscription-fanout.ts';
import { freePort, startServer, stopAll, type ServerProcess } from './processes.ts';
import { codeLine, describeCode, RESULTS_FILE } from './results.ts';
import { markdownTable } from './table.ts';

/**
 * npm run bench:subscriptions — subscription fan-out over GraphQL over SSE: SUBSCRIBERS (1000)
 * graphql-sse clients on runningEvaluations, one status change every INTERVAL_MS (10) for CHANGES
 * (300) changes; on one gateway process without Redis, one with Redis, and two sharing PostgreSQL
 * and Redis; then at a tenth of the rate. After each run every subscriber leaves, and the gateways
 * must hold no subscription and no Redis channel (the heap is checked by
 * test/api/subscription-load.test.ts). Loopback only; every loop is bounded.
 */
const env = process.env;
const SUBSCRIBERS = Number(env['SUBSCRIBERS'] ?? 1000);
const CHANGES = Number(env['CHANGES'] ?? 300);
const INTERVAL_MS = Number(env['INTERVAL_MS'] ?? 10);
const DATABASE_URL = env['BENCH_DATABASE_URL'] ?? env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test';
const REDIS_URL = env['BENCH_REDIS_URL'] ?? env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const schema = `strata_bench_subs_${randomBytes(4).toString('hex')}`;
const keyPrefix = `strata-bench-subs-${randomBytes(4).toString('hex')}:`;

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(text);
  await client.end();
}

async function gateway(name: string, redis: boolean): Promise<ServerProcess> {
  const base = { ...env, DATABASE_URL, DATABASE_SCHEMA: schema, STORAGE_BACKEND: 'postgres', LOG_LEVEL: 'warn', HOST: '127.0.0.1', KEY_PREFIX: keyPrefix };
  const serverEnv = { ...base, REDIS_URL: redis ? REDIS_URL : '' };
  return startServer({ name, args: [...(env['GATEWAY_NODE_ARGS']?.split(' ') ?? []), 'bin/strata.js', 'serve'], env: serverEnv, cwd: process.cwd(), port: await freePort(), readyPath: '/health' });
}

async function openSubscriptions(server: ServerProcess): Promise<number> {
  const res = await fetch(`${server.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ storage { backends { role metrics } } }' }) });
  const body = (await res.json()) as { data: { storage: { backends: { role: string; metrics: { openSubscriptions?: number } }[] } } };
  return body.data.storage.backends.find((b) => b.role === 'subscriptions')?.metrics.openSubscriptions ?? -1;
}

interface Row extends FanoutResult {
  setup: string;
  leftOpen: number;
  leftChannels: number;
}

async function scenario(setup: string, processes: number, redis: boolean, intervalMs: number, channels: () => Promise<number>): Promise<Row> {
  const servers: ServerProcess[] = [];
  for (let i = 0; i < processes; i++) servers.push(await gateway(`gateway-${i + 1}`, redis));
  try {
    const result = await measureFanout(servers, SUBSCRIBERS, CHANGES, intervalMs);
    let open = 0;
    for (let i = 0; i < 100; i++) {
      open = (await Promise.all(servers.map(openSubscriptions))).reduce((a, b) => a + b, 0);
      if (open === 0) break;
      await sleep(100);
    }
    return { ...result, setup: `${setup}, every ${intervalMs} ms`, leftOpen: open, leftChannels: await channels() };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

function section(rows: Row[]): string {
  const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const table = markdownTable(
    ['Setup', 'changes/s', 'deliveries/s', 'delivered', 'p50 ms', 'p99 ms', 'max ms', 'gateway CPU %', 'µs CPU/delivery', 'client CPU %', 'left open', 'Redis channels left'],
    rows.map((r) => [
      r.setup,
      f(r.changesPerSecond, 0),
      f((r.deliveries * 1000) / r.windowMs, 0),
      `${r.deliveries}/${r.expected}`,
      f(r.p50), f(r.p99), f(r.max),
      r.serverCpu.map((c) => f(c, 0)).join(' + '),
      f((r.serverCpu.reduce((a, b) => a + b, 0) * r.windowMs * 10) / Math.max(1, r.deliveries), 0),
      f(r.clientCpu, 0),
      String(r.leftOpen), String(r.leftChannels),
    ]),
  );
  return `## Subscriptions

Written by \`npm run bench:subscriptions\` (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${codeLine(describeCode())}).
${SUBSCRIBERS} graphql-sse clients (one HTTP connection each) on \`runningEvaluations\`; one status change every ${INTERVAL_MS} ms (then every ${INTERVAL_MS * 10} ms),
${rows[0]?.changes ?? CHANGES} changes (a start, then a finish 10 changes later), so every
change fans out to every subscriber. Latency: from just before the mutation is sent to the moment a subscriber has the event, in the same client
process, so the client's own lag (one Node process parsing every event of every stream) is part of it. The driver (strata/client's
\`updateStatus\`, one client per gateway) sends on schedule and never waits for answers.
CPU: the gateway process(es) from the first change to the last delivery, in % of one core. After each run every
subscriber leaves: "left open" (subscriptions the gateways still hold) and "Redis channels left" must be 0. Everything shares 2 cores.

${table}
`;
}

/** Replaces (or appends) this section only: others write other sections of the file concurrently. */
function writeSection(text: string): void {
  const current = readFileSync(RESULTS_FILE, 'utf8');
  const start = current.indexOf('## Subscriptions\n');
  if (start < 0) return writeFileSync(RESULTS_FILE, `${current.trimEnd()}\n\n${text}`);
  const next = current.indexOf('\n## ', start + 1);
  writeFileSync(RESULTS_FILE, current.slice(0, start) + text + (next < 0 ? '' : current.slice(next)));
}

const redis = new Redis(REDIS_URL);
const channels = async () => ((await redis.pubsub('CHANNELS', `${keyPrefix}*`)) as string[]).length;
await sql(`CREATE SCHEMA ${schema}`);
try {
  const rows: Row[] = [];
  // As asked (a change every INTERVAL_MS), then at a tenth of that rate: what two cores sustain.
  for (const interval of [INTERVAL_MS, INTERVAL_MS * 10]) {
    rows.push(await scenario('1 process, no Redis', 1, false, interval, async () => 0));
    if (env['ONLY_FIRST']) continue;
    rows.push(await scenario('1 process, Redis', 1, true, interval, channels));
    rows.push(await scenario('2 processes, Redis', 2, true, interval, channels));
  }
  const text = section(rows);
  console.log(text);
  if (!env['NO_WRITE']) writeSection(text);
} finally {
  await stopAll();
  redis.disconnect();
  await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}
