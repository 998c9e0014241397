/**
 * One Redis server versus a local three-master Redis Cluster (started here, like the tests do),
 * through the gateway's own Redis code: warm evaluation-cache reads of a 100-id page, KV puts and
 * gets (all in the "{kv}" slot), queue push+pop and rate-limit takes (spread over slots).
 * Reports operations per second at a concurrency of 50, this process's CPU time per operation
 * (the gateway-side cost of slot routing), and Redis round trips per cache page.
 *
 *   node --import tsx bench/redis-cluster.ts [--seconds 5] [--redis redis://127.0.0.1:6379]
 *
 * All masters run on this machine, so the cluster's extra hops are loopback hops and its masters
 * share the same cores: this measures the client-side cost of slot routing and batching, not the
 * capacity of a real cluster (which adds CPU per master).
 */
import { parseArgs } from 'node:util';
import { createRedisEntityCache, withEntityCache } from '../src/backends/cache/index.ts';
import { createMemoryEvaluationStore } from '../src/backends/memory/evaluation-store.ts';
import { createMemoryTokenBuckets } from '../src/backends/memory/token-bucket.ts';
import { closeRedis, connectRedis, type RedisTarget } from '../src/backends/redis/connection.ts';
import { createRedisTokenBuckets } from '../src/backends/redis/token-bucket.ts';
import { testConfig } from '../src/config.ts';
import { EvaluationService } from '../src/services/evaluations.ts';
import { createPlatform } from '../src/services/platform/index.ts';
import { openPlatformBackends } from '../src/backends/platform.ts';
import { silentLogger } from '../test/support/app.ts';
import { OwnRedisCluster } from '../test/support/redis-cluster.ts';
import { testKeyPrefix } from '../test/support/redis.ts';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, redis: { type: 'string', default: 'redis://127.0.0.1:6379' } } });
const SECONDS = Number(args.seconds);
const CONCURRENCY = 50;

async function measure(name: string, op: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await op(); // warm-up: scripts loaded, slot map known
  let done = 0;
  const cpu = process.cpuUsage();
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < until) {
      await op();
      done++;
    }
  }));
  const perSecond = done / SECONDS;
  const used = process.cpuUsage(cpu);
  const cpuPerOp = (used.user + used.system) / done;
  console.log(`  ${name.padEnd(34)} ${Math.round(perSecond).toLocaleString('en-US').padStart(9)} ops/s ${cpuPerOp.toFixed(0).padStart(6)} µs gateway CPU/op`);
  return perSecond;
}

async function run(label: string, target: RedisTarget, env: Record<string, string>): Promise<void> {
  console.log(`${label}`);
  const prefix = testKeyPrefix();
  const redis = connectRedis(target, silentLogger, { connectionName: 'bench' });
  const cache = createRedisEntityCache(redis, `${prefix}cache:`);
  const store = withEntityCache(createMemoryEvaluationStore(), cache, { ttlSeconds: 600, leaseMs: 2000, polls: 5, pollMs: 20 }, silentLogger);
  const ids = Array.from({ length: 100 }, (_, i) => `bench-${i}`);
  const service = new EvaluationService(store, testConfig().limits);
  for (const id of ids) await service.create({ id, code: 'x' });
  await store.getMany(ids); // fills the cache
  const before = cache.stats.roundTrips;
  await store.getMany(ids);
  console.log(`  warm read of 100 ids: ${cache.stats.roundTrips - before} round trip(s)`);
  await measure('cache: warm read of a 100-id page', () => store.getMany(ids));

  const config = testConfig({}, { ...env, KEY_PREFIX: prefix });
  const cleanups: (() => Promise<void>)[] = [];
  const platform = createPlatform(openPlatformBackends({ config, logger: silentLogger, sql: null, onClose: (c) => cleanups.push(c), reportStatus: () => {} }), config);
  let n = 0;
  await measure('kv: put', () => platform.kv.put(`k:${n++ % 1000}`, { n }));
  await measure('kv: get', () => platform.kv.get(`k:${n++ % 1000}`));
  await measure('queue: push + pop (100 queues)', async () => {
    const q = `q${n++ % 100}`;
    await platform.queues.push(q, 1);
    await platform.queues.pop(q);
  });
  const buckets = createRedisTokenBuckets(redis, prefix, { perSecond: 1e9, burst: 1e9, connectTimeoutMs: 2000 }, createMemoryTokenBuckets({ perSecond: 1, burst: 1 }), silentLogger);
  await measure('rate limit: take (100 keys)', () => buckets.take(`key-${n++ % 100}`));
  for (const c of cleanups.reverse()) await c();
  await closeRedis(redis);
}

await run(`one Redis server (${args.redis})`, { kind: 'server', url: args.redis }, { REDIS_URL: args.redis });
const cluster = await OwnRedisCluster.start();
try {
  await run(`Redis Cluster, three local masters (${cluster.nodesEnv})`, { kind: 'cluster', nodes: cluster.nodes }, { REDIS_CLUSTER_NODES: cluster.nodesEnv });
} finally {
  await cluster.stop();
}
process.exit(0);
