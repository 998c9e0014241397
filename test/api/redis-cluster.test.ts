import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { configFor, createTestApp, type TestApp } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { metricSample, sampleOf } from '../support/gateway-http.ts';
import { API_KEYS_ENV, bearer, KEYS } from '../support/keys.ts';
import { postgresUnavailable } from '../support/postgres.ts';
import { OwnRedisCluster, redisClusterUnavailable } from '../support/redis-cluster.ts';
import { testKeyPrefix } from '../support/redis.ts';
import { startTestServer, subscriptionClient, TRANSPORTS, values, type TestServer } from '../support/subscriptions.ts';

/**
 * The whole gateway on a Redis Cluster (REDIS_CLUSTER_NODES, three masters this file starts, which
 * require a password, as managed clusters do): two gateways on one PostgreSQL schema and the
 * cluster, as two replicas would run, logged in as an ACL user (REDIS_CLUSTER_USERNAME and
 * REDIS_CLUSTER_PASSWORD). A subscriber on one sees changes made through the other; running state,
 * log tails, the evaluation cache and the worker primitives answer through the cluster; rate
 * limits are shared (with the default user's password only); without a password nothing is used.
 */
const skip = redisClusterUnavailable() ?? (await postgresUnavailable()) ?? false;
const PASSWORD = 'cluster-password-of-the-test';
const USER = { REDIS_CLUSTER_USERNAME: 'strata-gateway', REDIS_CLUSTER_PASSWORD: 'acl-password-of-the-test' };
/** Every Redis connection of a gateway, by the name connectRedis gives it (CLIENT LIST `name`). */
const CONNECTIONS = ['strata-commands', 'strata-cache', 'strata-running', 'strata-feed-publish', 'ioredis-cluster(subscriber):strata-feed-subscribe'];

async function ownCluster(): Promise<OwnRedisCluster> {
  const cluster = await OwnRedisCluster.start(3, { password: PASSWORD });
  await cluster.addUser(USER.REDIS_CLUSTER_USERNAME, USER.REDIS_CLUSTER_PASSWORD);
  return cluster;
}

describe('the gateway on a Redis Cluster', { skip }, () => {
  let cluster: OwnRedisCluster;
  const servers: TestServer[] = [];
  after(async () => {
    for (const s of servers) await s.close();
    await cluster?.stop();
  });

  it('a subscriber on one gateway sees changes made through the other; every Redis feature answers', async () => {
    cluster = await ownCluster();
    const prefix = testKeyPrefix();
    const env = { REDIS_CLUSTER_NODES: cluster.nodesEnv, ...USER, KEY_PREFIX: prefix };
    const { config, cleanup } = await configFor('postgres', {}, env);
    assert.ok(config.platform.redisCluster && config.cache.enabled);
    servers.push(await startTestServer(config, cleanup), await startTestServer({ ...config, migrateOnStart: false }));
    const [a, b] = servers as [TestServer, TestServer];

    const { createEvaluation } = await b.gql('mutation { createEvaluation(input: { code: "x" }) { id } }');
    const id = createEvaluation.id as string;
    const clients = TRANSPORTS.map((t) => subscriptionClient(t, a.url));
    const updates = clients.map((c) => c.subscribe('subscription($id: ID!) { evaluationUpdated(id: $id) { status } }', { id }));
    const logs = clients.map((c) => c.subscribe('subscription($id: ID!) { evaluationLogs(id: $id) { seq text } }', { id }));
    await Promise.all(updates.map((s) => s.atLeast(1)));

    await b.gql('mutation($id: ID!) { markRunning(id: $id, input: { host: "b" }) { status } }', { id });
    await b.gql('mutation($id: ID!) { appendLogs(id: $id, lines: [{ text: "one" }, { text: "two" }]) { nextSeq } }', { id });
    // Served through the cluster: the running set ({running} slot) and the log tail (its own slot).
    const running = await eventually('the running set on the cluster', async () => {
      const { runningEvaluations } = await a.gql('{ runningEvaluations { id running { host } } }');
      return runningEvaluations.length === 1 ? runningEvaluations : undefined;
    });
    assert.deepEqual(running, [{ id, running: { host: 'b' } }]);
    const read = await a.gql('query($id: ID!) { evaluation(id: $id) { status logs(tail: 1) { lines { seq text } nextSeq } } }', { id });
    assert.deepEqual(read.evaluation, { status: 'RUNNING', logs: { lines: [{ seq: 2, text: 'two' }], nextSeq: 3 } });
    await usesTheCluster(a, cluster, prefix, id);
    await b.gql('mutation($id: ID!) { updateEvaluation(id: $id, input: { status: COMPLETED }) { status } }', { id });

    await Promise.all([...updates, ...logs].map((s) => s.done));
    for (const [i, transport] of TRANSPORTS.entries()) {
      const statuses = values(updates[i]!, 'evaluationUpdated').map((e) => e.status as string);
      assert.deepEqual([statuses[0], statuses.at(-1)], ['QUEUED', 'COMPLETED'], transport);
      assert.deepEqual(values(logs[i]!, 'evaluationLogs').map((l) => `${l.seq}:${l.text}`), ['1:one', '2:two'], transport);
    }
    await Promise.all(clients.map((c) => c.close()));
    // The evaluation cache (invalidated by B's write) shows A the final state.
    assert.equal((await a.gql('query($id: ID!) { evaluation(id: $id) { status } }', { id })).evaluation.status, 'COMPLETED');

    // Worker primitives, written through one gateway and read through the other.
    await a.gql('mutation { kvPut(key: "job:1", value: { n: 1 }) { key } q: queuePush(name: "jobs", item: 1) }');
    const token = (await a.gql('mutation { lockAcquire(key: "deploy", ttlMs: 60000) }')).lockAcquire as string;
    const other = await b.gql('mutation { lockAcquire(key: "deploy", ttlMs: 60000) queuePop(name: "jobs") }');
    assert.deepEqual([other.lockAcquire, other.queuePop], [null, 1], 'the lock is held; the item is delivered once');
    assert.equal((await b.gql('mutation($t: String!) { lockRelease(key: "deploy", token: $t) }', { t: token })).lockRelease, true);
    const kv = await b.gql('{ kv(key: "job:1") { value } kvRange(prefix: "job:") { key value } }');
    assert.deepEqual(kv, { kv: { value: { n: 1 } }, kvRange: [{ key: 'job:1', value: { n: 1 } }] });

    const { health } = await a.gql('{ health { status backends { role healthy } } }');
    assert.equal(health.status, 'ok');
    const redisRoles = health.backends.filter((s: { role: string }) => ['kv', 'cache', 'running', 'subscriptions'].includes(s.role));
    assert.equal(redisRoles.length, 4);
    assert.ok(redisRoles.every((s: { healthy: boolean }) => s.healthy), JSON.stringify(health.backends));

    // Every feature's connection logged in as the configured ACL user, the pub/sub one included.
    const ours = (await cluster.clients()).filter((c) => /strata-/.test(c['name'] ?? ''));
    assert.deepEqual(CONNECTIONS.filter((name) => !ours.some((c) => c['name'] === name)), [], `connections: ${ours.map((c) => c['name']).join(', ')}`);
    assert.deepEqual([...new Set(ours.map((c) => c['user']))], [USER.REDIS_CLUSTER_USERNAME]);
  });

  it('shares one rate-limit bucket per key between gateways', async () => {
    cluster ??= await ownCluster();
    const env = {
      ...cluster.underTest().env, // REDIS_CLUSTER_NODES and the default user's REDIS_CLUSTER_PASSWORD
      STRATA_API_KEYS: API_KEYS_ENV,
      RATE_LIMIT_PER_SECOND: '0.01', // one token per 100 s: no refill during the test
      RATE_LIMIT_BURST: '5',
      KEY_PREFIX: testKeyPrefix(),
      CACHE_ENABLED: 'false',
    };
    const apps: TestApp[] = [await createTestApp('memory', {}, undefined, env), await createTestApp('memory', {}, undefined, env)];
    try {
      const burst = async (app: TestApp, n: number) => {
        const counts: Record<number, number> = {};
        for (let i = 0; i < n; i++) {
          const res = await app.gql('{ health { ok } }', undefined, bearer(KEYS.read));
          counts[res.status] = (counts[res.status] ?? 0) + 1;
        }
        return counts;
      };
      assert.deepEqual([await burst(apps[0]!, 3), await burst(apps[1]!, 4)], [{ 200: 3 }, { 200: 2, 429: 2 }], 'five tokens in all, whichever gateway answers');
    } finally {
      for (const app of apps) await app.close();
    }
  });
  it('without the password the cluster refuses every connection: health says so and nothing is served from Redis', async () => {
    cluster ??= await ownCluster();
    const app = await createTestApp('pglite', {}, undefined, { REDIS_CLUSTER_NODES: cluster.nodesEnv, KEY_PREFIX: testKeyPrefix() });
    try {
      await app.gql('mutation { createEvaluation(input: { id: "p1", code: "x" }) { id } }');
      const lookupsOf = async (result: string) => sampleOf(await (await app.yoga.fetch('http://yoga/metrics')).text(), 'strata_cache_lookups_total', { result });
      const hitsBefore = await lookupsOf('hit');
      for (let i = 0; i < 2; i++) await app.gql('{ evaluation(id: "p1") { id } }');
      const read = await app.gql('{ evaluation(id: "p1") { id } }');
      assert.deepEqual(read.body, { data: { evaluation: { id: 'p1' } } }, 'evaluations are served from the primary');
      const kv = await app.gql('mutation { kvPut(key: "k", value: 1) { key } }');
      assert.equal(kv.body.errors?.length, 1, 'the KV store has no fallback: it fails');
      assert.equal(await lookupsOf('hit'), hitsBefore, 'no cache hit without the password');
      const { health } = (await app.gql('{ health { status backends { role healthy } } }')).body.data;
      assert.equal(health.status, 'degraded');
      const redis = (await app.registry.statuses()).filter((b) => ['kv', 'cache', 'running', 'subscriptions'].includes(b.role));
      assert.deepEqual(redis.map((b) => [b.role, b.healthy]).sort(), [['cache', false], ['kv', false], ['running', false], ['subscriptions', false]], JSON.stringify(redis));
    } finally {
      await app.close();
    }
  });
  it('tells subscribers when ioredis moves the pub/sub connection while the cluster stays up (CLIENT KILL TYPE pubsub on every node)', async () => {
    cluster ??= await ownCluster();
    const { config, cleanup } = await configFor('postgres', {}, { REDIS_CLUSTER_NODES: cluster.nodesEnv, ...USER, KEY_PREFIX: testKeyPrefix() });
    const a = await startTestServer(config, cleanup);
    const b = await startTestServer({ ...config, migrateOnStart: false });
    servers.push(a, b);
    const { createEvaluation } = await b.gql('mutation { createEvaluation(input: { code: "x" }) { id } }');
    const id = createEvaluation.id as string;
    const append = (text: string) => b.gql('mutation($id: ID!, $t: String!) { appendLogs(id: $id, lines: [{ text: $t }]) { nextSeq } }', { id, t: text });
    const client = subscriptionClient('sse', a.url);
    const logs = client.subscribe('subscription($id: ID!) { evaluationLogs(id: $id) { seq } }', { id });
    const running = client.subscribe('subscription { runningEvaluations { kind } }');
    // Both live on A: runningEvaluations sends nothing until a change, so report until it heard one.
    await eventually('both subscriptions live', async () => {
      await b.gql('mutation($id: ID!) { markRunning(id: $id, input: { host: "b" }) { status } }', { id });
      return running.results.length > 0 ? true : undefined;
    });
    await append('before');
    await logs.atLeast(1);

    let killed = 0;
    for (const port of cluster.ports) {
      const node = cluster.node(port);
      killed += (await node.client('KILL', 'TYPE', 'pubsub')) as number;
      node.disconnect();
    }
    assert.ok(killed >= 1, 'the gateways\' pub/sub connections were cut');
    await append('while moving'); // may be published before the SUBSCRIBE is in place again
    // The cluster never stopped being ready; still the feed heard of the move: the running set,
    // which has no cursor, tells its subscriber to start over, as after a Redis restart.
    await eventually('runningEvaluations interrupted', async () => (running.completed || running.results.some((r) => r.errors) ? true : undefined), 20_000);
    assert.equal(running.results.at(-1)?.errors?.[0]?.extensions?.['code'], 'SUBSCRIPTION_INTERRUPTED');
    const names = async () => (await cluster.clients()).map((c) => c['name']);
    await eventually('a new pub/sub connection', async () => ((await names()).includes(CONNECTIONS[4]!) ? true : undefined));

    await append('after');
    await b.gql('mutation($id: ID!) { updateEvaluation(id: $id, input: { status: COMPLETED }) { status } }', { id });
    await logs.done;
    assert.deepEqual(values(logs, 'evaluationLogs').map((l) => l.seq), [1, 2, 3], 'every line once, the one sent during the move included');
    await client.close();
  });
});

/**
 * Proof that the answers above came from the cluster and not from a silent fallback to
 * PostgreSQL: the cache counts hits for reads of `id` (one process's metrics, both gateways),
 * the keys of every feature are on the cluster's masters, and the running mirror says complete.
 */
async function usesTheCluster(g: TestServer, cluster: OwnRedisCluster, prefix: string, id: string): Promise<void> {
  const hits = () => metricSample(g.url, {}, 'strata_cache_lookups_total', { result: 'hit' });
  const before = await hits();
  for (let i = 0; i < 3; i++) await g.gql('query($id: ID!) { evaluation(id: $id) { id } }', { id });
  assert.ok((await hits()) >= before + 2, 'reads after the first are cache hits');

  const keys = await cluster.keysUnder(prefix);
  const expected = [`{running}:running_evaluations`, `{running}:built`, `{running}:eval:${id}:running`, `logs:{${id}}:latest`, `cache:{eval:${id}}`];
  assert.deepEqual(expected.filter((k) => !keys.includes(prefix + k)), [], `keys on the cluster: ${keys.join(', ')}`);

  const { health } = await g.gql('{ health { backends { role kind healthy metrics } } }');
  const running = health.backends.find((b: { role: string }) => b.role === 'running');
  assert.deepEqual([running.kind, running.healthy, running.metrics.complete, running.metrics.running], ['redis', true, true, 1], JSON.stringify(running));
}
