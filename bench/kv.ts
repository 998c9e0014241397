// `npm run bench:kv`: KV put/get through the gateway against raw ioredis SET/GET, in one run on the
// same Redis. Options: --duration S (per row and operation, default 5), --concurrency N (requests in
// flight, default 10), --no-write (do not update bench/RESULTS.md). Redis: BENCH_REDIS_URL or
// REDIS_URL (default redis://127.0.0.1:6379); keys go under a fresh prefix and are deleted after.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createRegistry } from '../src/backends/registry.ts';
import { testConfig } from '../src/config.ts';
import { createStrataYoga } from '../src/yoga.ts';

const { values: flags } = parseArgs({ options: { duration: { type: 'string' }, concurrency: { type: 'string' }, 'no-write': { type: 'boolean' } } });
const DURATION_MS = Number(flags.duration ?? 5) * 1000;
const CONCURRENCY = Number(flags.concurrency ?? 10);
const URL_ = process.env['BENCH_REDIS_URL'] ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const PREFIX = `strata-bench-kv-${randomBytes(4).toString('hex')}:`;
const KEYS = 1000;
const VALUE = { id: 'eval_20240701_120000_abc123', status: 'COMPLETED', runtimeMs: 1234, tags: ['a', 'b'], ok: true };

type Op = (i: number) => Promise<unknown>;
interface Result { ops: number; perSecond: number; p50: number; p99: number }

/** CONCURRENCY loops issue `op` back to back for DURATION_MS; latencies in ms. */
async function measure(op: Op): Promise<Result> {
  for (let i = 0; i < 200; i++) await op(i); // warm-up: JIT, connections, script cache
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + DURATION_MS;
  let n = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      await op(n++);
      latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { ops: latencies.length, perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}

const loadAtStart = loadavg()[0]!;
const config = testConfig({}, { REDIS_URL: URL_, KEY_PREFIX: PREFIX, LOG_LEVEL: 'warn' });
const logger = pino({ level: 'warn' });
const registry = await createRegistry(config, logger);
const yoga = createStrataYoga({ config, registry, logger });
const server = createServer(yoga);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const httpUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
const raw = new Redis(URL_);
const key = (i: number) => `bench:${i % KEYS}`;
const rawValue = JSON.stringify(VALUE);

const PUT = 'mutation($k: String!, $v: JSON!) { kvPut(key: $k, value: $v) { key } }';
const GET = 'query($k: String!) { kv(key: $k) { value } }';
const body = (query: string, i: number) => JSON.stringify({ query, variables: { k: key(i), v: VALUE } });
const post = (send: (init: RequestInit) => Promise<Response>) => (query: string) => async (i: number) => {
  const res = await send({ method: 'POST', headers: { 'content-type': 'application/json' }, body: body(query, i) });
  const json = (await res.json()) as { errors?: unknown[] };
  if (json.errors) throw new Error(JSON.stringify(json.errors));
};
const inProcess = post((init) => Promise.resolve(yoga.fetch('http://yoga/graphql', init)));
const overHttp = post((init) => fetch(httpUrl, init));

const rows: [string, Op, Op][] = [
  ['raw ioredis SET / GET (one shared connection)', (i) => raw.set(`${PREFIX}raw:${i % KEYS}`, rawValue), (i) => raw.get(`${PREFIX}raw:${i % KEYS}`)],
  ['library: kv.put / kv.get (createStrata capabilities)', (i) => registry.kv.put(key(i), VALUE), (i) => registry.kv.get(key(i))],
  ['GraphQL kvPut / kv, in-process (yoga.fetch)', inProcess(PUT), inProcess(GET)],
  ['GraphQL kvPut / kv over HTTP (127.0.0.1, keep-alive)', overHttp(PUT), overHttp(GET)],
];

const results: { name: string; put: Result; get: Result }[] = [];
for (const [name, put, get] of rows) {
  const p = await measure(put);
  const g = await measure(get);
  results.push({ name, put: p, get: g });
  console.error(`${name}: put ${Math.round(p.perSecond)}/s, get ${Math.round(g.perSecond)}/s`);
}

const rate = (r: Result) => Math.round(r.perSecond).toLocaleString('en-US');
const ms = (n: number) => n.toFixed(2);
const base = results[0]!;
const table = [
  '| Path | put ops/s | p50 ms | p99 ms | get ops/s | p50 ms | p99 ms | get vs raw |',
  '|---|--:|--:|--:|--:|--:|--:|--:|',
  ...results.map((r) => `| ${r.name} | ${rate(r.put)} | ${ms(r.put.p50)} | ${ms(r.put.p99)} | ${rate(r.get)} | ${ms(r.get.p50)} | ${ms(r.get.p99)} | ${(r.get.perSecond / base.get.perSecond).toFixed(2)} |`),
].join('\n');
const info = await raw.info('server');
const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
const section = `## KV

<!-- bench-kv: written by \`npm run bench:kv\`; this section is replaced on every run -->
\`npm run bench:kv\` on ${new Date().toISOString().slice(0, 10)}: ${availableParallelism()} CPUs (${cpus()[0]?.model.trim()}), Node ${process.version},
Redis ${version} on 127.0.0.1, load average ${loadAtStart.toFixed(2)} at start; ${CONCURRENCY} operations in flight, ${DURATION_MS / 1000} s per cell after a warm-up,
the same 1,000 keys and a ${rawValue.length}-byte JSON value throughout. The client runs in the same process as
the gateway, so the HTTP row also pays for the load generator.

${table}

A gateway put is one Lua script (value, range index and expiry index in one step, plus a bounded
sweep of expired keys) where the raw row is one SET; a get is one script too (GET + ZSCORE). The
GraphQL rows add parsing, validation and execution of the operation, the JSON scalar, and for
HTTP the request and response handling.
`;
console.log(`\n${table}\n`);

if (!flags['no-write']) {
  // Other benchmarks write other sections of RESULTS.md: read it right before writing, replace only ours.
  const file = new URL('./RESULTS.md', import.meta.url);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf('\n## KV\n');
  const next = start >= 0 ? current.indexOf('\n## ', start + 1) : -1;
  const updated = start < 0 ? `${current.trimEnd()}\n\n${section}` : `${current.slice(0, start)}\n${section}${next >= 0 ? current.slice(next) : ''}`;
  writeFileSync(file, updated);
  console.error('bench/RESULTS.md: KV section updated');
}

server.closeAllConnections();
server.close();
await registry.close();
let cursor = '0';
do {
  const [next, found] = await raw.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000); // bench cleanup only
  if (found.length) await raw.unlink(...found);
  cursor = next;
} while (cursor !== '0');
raw.disconnect();
