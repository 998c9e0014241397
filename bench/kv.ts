// `npm run bench:kv`: KV put/get through the gateway against raw ioredis SET/GET, in one run on the
// same Redis, then kvRange over a large keyspace. Options: --duration S (per cell, default 5),
// --concurrency N (operations in flight, default 10), --range-keys N (keys for the range rows,
// default 1000000, 0 skips them), --no-write (leave bench/RESULTS.md alone). Redis:
// BENCH_REDIS_URL or REDIS_URL (default redis://127.0.0.1:6379); keys go under a fresh prefix and
// are deleted afterwards.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createRegistry } from '../src/backends/registry.ts';
import { testConfig } from '../src/config.ts';
import { createStrataYoga } from '../src/yoga.ts';
import { measure, ms, rate, writeKvSection, type Op, type Result } from './kv-support.ts';

const { values: flags } = parseArgs({
  options: { duration: { type: 'string' }, concurrency: { type: 'string' }, 'range-keys': { type: 'string' }, 'no-write': { type: 'boolean' } },
});
const DURATION_MS = Number(flags.duration ?? 5) * 1000;
const CONCURRENCY = Number(flags.concurrency ?? 10);
const RANGE_KEYS = Number(flags['range-keys'] ?? 1_000_000);
const REDIS_URL = process.env['BENCH_REDIS_URL'] ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const PREFIX = `strata-bench-kv-${randomBytes(4).toString('hex')}:`;
const VALUE = { id: 'eval_20240701_120000_abc123', status: 'COMPLETED', runtimeMs: 1234, tags: ['a', 'b'], ok: true };
const run = (op: Op) => measure(op, DURATION_MS, CONCURRENCY);

const loadAtStart = loadavg()[0]!;
const config = testConfig({}, { REDIS_URL, KEY_PREFIX: PREFIX, LOG_LEVEL: 'warn' });
const logger = pino({ level: 'warn' });
const registry = await createRegistry(config, logger);
const yoga = createStrataYoga({ config, registry, logger });
const server = createServer(yoga);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const httpUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
const raw = new Redis(REDIS_URL);
const key = (i: number) => `bench:${i % 1000}`;
const rawValue = JSON.stringify(VALUE);

const PUT = 'mutation($k: String!, $v: JSON!) { kvPut(key: $k, value: $v) { key } }';
const GET = 'query($k: String!) { kv(key: $k) { value } }';
const RANGE = 'query($k: String!) { kvRange(start: $k, limit: 50) { key value } }';
const post = (send: (init: RequestInit) => Promise<Response>) => (query: string, k: (i: number) => string) => async (i: number) => {
  const body = JSON.stringify({ query, variables: { k: k(i), v: VALUE } });
  const json = (await (await send({ method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()) as { errors?: unknown[] };
  if (json.errors) throw new Error(JSON.stringify(json.errors));
};
const inProcess = post((init) => Promise.resolve(yoga.fetch('http://yoga/graphql', init)));
const overHttp = post((init) => fetch(httpUrl, init));

const rows: [string, Op, Op][] = [
  ['raw ioredis SET / GET (one shared connection)', (i) => raw.set(`${PREFIX}raw:${i % 1000}`, rawValue), (i) => raw.get(`${PREFIX}raw:${i % 1000}`)],
  ['library: kv.put / kv.get (createStrata capabilities)', (i) => registry.kv.put(key(i), VALUE), (i) => registry.kv.get(key(i))],
  ['GraphQL kvPut / kv, in-process (yoga.fetch)', inProcess(PUT, key), inProcess(GET, key)],
  ['GraphQL kvPut / kv over HTTP (127.0.0.1, keep-alive)', overHttp(PUT, key), overHttp(GET, key)],
];
const results: { name: string; put: Result; get: Result }[] = [];
for (const [name, put, get] of rows) {
  results.push({ name, put: await run(put), get: await run(get) });
  console.error(`${name}: done`);
}

const ranges: [string, Result][] = [];
if (RANGE_KEYS > 0) {
  const rangeKey = (i: number) => `range:${String((i * 7919) % RANGE_KEYS).padStart(7, '0')}`;
  for (let i = 0; i < RANGE_KEYS; i += 5000) {
    await Promise.all(Array.from({ length: Math.min(5000, RANGE_KEYS - i) }, (_, j) => registry.kv.put(rangeKey(i + j), { n: i + j })));
  }
  console.error(`${RANGE_KEYS} keys written for the range rows`);
  ranges.push(['library: kv.range({ start, limit: 50 })', await run((i) => registry.kv.range({ start: rangeKey(i), limit: 50 }))]);
  ranges.push(['GraphQL kvRange(start, limit: 50), in-process', await run(inProcess(RANGE, rangeKey))]);
}

const base = results[0]!;
const table = [
  '| Path | put ops/s | p50 ms | p99 ms | get ops/s | p50 ms | p99 ms | get vs raw |',
  '|---|--:|--:|--:|--:|--:|--:|--:|',
  ...results.map((r) => `| ${r.name} | ${rate(r.put)} | ${ms(r.put.p50)} | ${ms(r.put.p99)} | ${rate(r.get)} | ${ms(r.get.p50)} | ${ms(r.get.p99)} | ${(r.get.perSecond / base.get.perSecond).toFixed(2)} |`),
].join('\n');
const rangeTable = ranges.length
  ? `\n\nRanges of 50 entries at random starting points among ${RANGE_KEYS.toLocaleString('en-US')} keys (ZRANGEBYLEX on the index, one script call each):\n\n` +
    ['| Path | ranges/s | p50 ms | p99 ms |', '|---|--:|--:|--:|', ...ranges.map(([name, r]) => `| ${name} | ${rate(r)} | ${ms(r.p50)} | ${ms(r.p99)} |`)].join('\n')
  : '';
const version = /redis_version:(\S+)/.exec(await raw.info('server'))?.[1] ?? '?';
const section = `## KV

<!-- written by \`npm run bench:kv\`; this section is replaced on every run -->
\`npm run bench:kv\` on ${new Date().toISOString().slice(0, 10)}: ${availableParallelism()} CPUs (${cpus()[0]?.model.trim()}), Node ${process.version},
Redis ${version} on 127.0.0.1, load average ${loadAtStart.toFixed(2)} at start; ${CONCURRENCY} operations in flight,
${DURATION_MS / 1000} s per cell after a warm-up, the same 1,000 keys and a ${rawValue.length}-byte JSON value throughout.
The load generator runs in the gateway's process, so the GraphQL rows also pay for it.

${table}${rangeTable}

A gateway put is one Lua script (value, range index and expiry index in one step, plus a bounded
sweep of expired keys) where the raw row is one SET; a get is one script too (GET + ZSCORE). The
GraphQL rows add parsing, validation and execution of the operation and the JSON scalar, and the
HTTP row the request and response handling on both ends.
`;
console.log(`\n${table}${rangeTable}\n`);
if (!flags['no-write']) {
  writeKvSection(section);
  console.error('bench/RESULTS.md: KV section updated');
}

server.closeAllConnections();
server.close();
await registry.close();
for (let cursor = '0'; ; ) {
  const [next, found] = await raw.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000); // bench cleanup only
  if (found.length) await raw.unlink(...found);
  if ((cursor = next) === '0') break;
}
raw.disconnect();
