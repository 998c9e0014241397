import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { eventually } from '../support/eventually.ts';
import { gqlAt, metricSample, post } from '../support/gateway-http.ts';
import { startGateway, type GatewayProcess } from '../support/gateway-process.ts';
import { API_KEYS_ENV, bearer, KEYS } from '../support/keys.ts';
import { lineOf, lockTraffic, NAMES, queueTraffic, rateTraffic, readers, stepOf, watchAll, writerReplica, writers, type Acked, type ReplicaSet } from '../support/mixed-workload.ts';
import { createTestSchema, postgresUnavailable, TEST_DATABASE_URL, type TestSchema } from '../support/postgres.ts';
import { deleteKeysUnder, keysUnder, redisUnavailable, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.ts';
import { subscriptionClient, values } from '../support/subscriptions.ts';

const skip = (await postgresUnavailable()) ?? (await redisUnavailable()) ?? false;

/** Tokens left in one key's shared bucket before the rate-limit check: no refill during the test (one token per 1,000 s). */
const BUDGET = 30;
const WORKER = bearer(KEYS.worker);

const gql = (g: GatewayProcess, query: string, variables?: Record<string, unknown>) => gqlAt(g.url, WORKER, query, variables);
const counter = (g: GatewayProcess, name: string, labels: Record<string, string>) => metricSample(g.url, WORKER, name, labels);

/**
 * Three real `strata serve` processes on one PostgreSQL schema and one Redis key prefix, started
 * at the same moment (so their migrations race, as in a rolling deploy), with API keys and a rate
 * limit that never refills during the test. The first five tests check one property each, one
 * workload at a time; the last runs them all at once (test/support/mixed-workload.ts) and checks
 * all five afterwards. Nothing here asserts a duration: every wait is an `eventually` with a
 * generous limit, and every role runs a fixed number of operations.
 */
describe('three gateway replicas on one PostgreSQL and one Redis', { skip }, () => {
  let schema: TestSchema;
  let dirs: string;
  const keyPrefix = testKeyPrefix();
  const replicas: GatewayProcess[] = [];

  before(async () => {
    schema = await createTestSchema();
    dirs = await mkdtemp(join(tmpdir(), 'strata-replicas-'));
    const shared = {
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema.name,
      STORAGE_BACKEND: 'postgres',
      REDIS_URL: TEST_REDIS_URL,
      KEY_PREFIX: keyPrefix,
      // A loaded test machine may hold a Redis answer back for a while; the cache and the rate
      // limiter must not fall back to the primary or to per-process buckets because of that.
      REDIS_COMMAND_TIMEOUT_MS: '10000',
      // Large texts on a volume all replicas share; the fallback journal is each replica's own.
      FILE_STORAGE_PATH: join(dirs, 'shared-files'),
      // A bucket of 100,000 that refills one token per 1,000 s: the workload never runs out, and
      // the rate-limit check knows exactly how many tokens a key has.
      STRATA_API_KEYS: API_KEYS_ENV,
      RATE_LIMIT_PER_SECOND: '0.001',
      RATE_LIMIT_BURST: '100000',
    };
    const starting = ['a', 'b', 'c'].map((name) => startGateway({ ...shared, DATA_DIR: join(dirs, name) }));
    const settled = await Promise.allSettled(starting);
    replicas.push(...settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  });

  after(async () => {
    const codes = await Promise.all(replicas.map((g) => g.stop()));
    await schema?.drop();
    await deleteKeysUnder(keyPrefix);
    if (dirs) await rm(dirs, { recursive: true, force: true });
    assert.deepEqual(codes, replicas.map(() => 0), replicas.map((g) => g.output()).join('\n'));
  });

  it('no stale read after an acknowledged write, whichever replica wrote and whichever reads (through the shared Redis cache)', async () => {
    const { createEvaluation } = await gql(replicas[0]!, 'mutation { createEvaluation(input: { code: "print(1)" }) { id } }');
    const id = createEvaluation.id as string;
    const read = async (g: GatewayProcess) => (await gql(g, 'query($id: ID!) { evaluation(id: $id) { retries } }', { id })).evaluation.retries as number;
    const hitsBefore = await Promise.all(replicas.map((g) => counter(g, 'strata_cache_lookups_total', { result: 'hit' })));

    const WRITES = 30;
    let acknowledged = 0;
    let writing = true;
    const stale: string[] = [];
    let concurrentReads = 0;
    // Readers on every replica keep the evaluation cached in Redis while the writes go on: a read
    // that starts after write n was acknowledged must show n or later.
    const readers = replicas.map(async (g) => {
      while (writing) {
        const floor = acknowledged;
        const seen = await read(g);
        concurrentReads++;
        if (seen < floor) stale.push(`${g.url} read retries=${seen} after write ${floor} was acknowledged`);
      }
    });
    for (let n = 1; n <= WRITES; n++) {
      const writer = replicas[n % 3]!;
      await gql(writer, 'mutation($id: ID!, $n: Int!) { updateEvaluation(id: $id, input: { retries: $n }) { retries } }', { id, n });
      acknowledged = n;
      // Straight after the acknowledgement, the two other replicas must see exactly this write.
      for (const other of replicas.filter((g) => g !== writer)) {
        const seen = await read(other);
        if (seen !== n) stale.push(`${other.url} read retries=${seen} right after write ${n} through ${writer.url}`);
      }
    }
    writing = false;
    await Promise.all(readers);
    assert.deepEqual(stale, [], `stale reads (${concurrentReads} concurrent reads)`);
    assert.ok(concurrentReads > 0);

    // The reads really went through the shared cache: every replica counted hits, and the value sits in Redis.
    const hitsAfter = await Promise.all(replicas.map((g) => counter(g, 'strata_cache_lookups_total', { result: 'hit' })));
    hitsAfter.forEach((h, i) => assert.ok(h > hitsBefore[i]!, `replica ${i} served no read from the Redis cache`));
    const redis = new Redis(TEST_REDIS_URL);
    try {
      await read(replicas[1]!);
      assert.ok(await redis.exists(`${keyPrefix}cache:{eval:${id}}`), 'the evaluation is cached in Redis');
    } finally {
      redis.disconnect();
    }
  });

  it('subscribers on every replica see every change, whichever replica made it', async () => {
    const [a, b, c] = replicas as [GatewayProcess, GatewayProcess, GatewayProcess];
    const { createEvaluation } = await gql(b, 'mutation { createEvaluation(input: { code: "print(2)" }) { id } }');
    const id = createEvaluation.id as string;
    await gql(c, 'mutation($id: ID!) { markRunning(id: $id, input: { host: "c" }) { status } }', { id });

    const clients = replicas.map((g) => subscriptionClient('sse', g.url, WORKER));
    const updates = clients.map((cl) => cl.subscribe('subscription($id: ID!) { evaluationUpdated(id: $id) { status retries } }', { id }));
    const events = clients.map((cl) => cl.subscribe('subscription($id: ID!) { evaluationEvents(id: $id) { type message } }', { id }));
    const logs = clients.map((cl) => cl.subscribe('subscription($id: ID!) { evaluationLogs(id: $id) { seq text } }', { id }));
    try {
      // The first delivery of each is sent once the subscription is in place on its replica.
      await Promise.all([...updates, ...events].map((s) => s.atLeast(1)));
      const CHANGES = 9;
      for (let i = 1; i <= CHANGES; i++) {
        const writer = replicas[i % 3]!;
        const via = ['a', 'b', 'c'][i % 3];
        await gql(writer, 'mutation($id: ID!, $t: String!) { appendLogs(id: $id, lines: [{ text: $t }]) { nextSeq } }', { id, t: `line ${i} via ${via}` });
        await gql(writer, 'mutation($id: ID!, $m: String) { addEvent(evaluationId: $id, type: "progress", message: $m) { id } }', { id, m: `step ${i} via ${via}` });
        await gql(writer, 'mutation($id: ID!, $n: Int!) { updateEvaluation(id: $id, input: { retries: $n }) { retries } }', { id, n: i });
        // Round by round, so each later change reaches live subscriptions through Redis pub/sub.
        await eventually(`change ${i} on every replica`, async () => (logs.every((s) => values(s, 'evaluationLogs').length >= i) ? true : undefined), 30_000);
      }
      await gql(a, 'mutation($id: ID!) { updateEvaluation(id: $id, input: { status: COMPLETED }) { status } }', { id });
      await Promise.all([...updates, ...events, ...logs].map((s) => s.done));

      const expectedLogs = Array.from({ length: CHANGES }, (_, k) => `${k + 1}:line ${k + 1} via ${['a', 'b', 'c'][(k + 1) % 3]}`);
      const expectedProgress = Array.from({ length: CHANGES }, (_, k) => `step ${k + 1} via ${['a', 'b', 'c'][(k + 1) % 3]}`);
      for (const [r, name] of ['a', 'b', 'c'].entries()) {
        assert.deepEqual(values(logs[r]!, 'evaluationLogs').map((l) => `${l.seq}:${l.text}`), expectedLogs, `logs on ${name}`);
        const timeline = values(events[r]!, 'evaluationEvents');
        assert.deepEqual(timeline.filter((e) => e.type === 'progress').map((e) => e.message), expectedProgress, `events on ${name}`);
        assert.equal(timeline.at(-1)?.type, 'status_changed', `events on ${name} end with the finish`);
        const states = values(updates[r]!, 'evaluationUpdated');
        assert.deepEqual(states.at(-1), { status: 'COMPLETED', retries: CHANGES }, `updates on ${name}`);
        // Deliveries may skip a state already replaced, never go back to an older one.
        const seen = states.map((s) => s.retries ?? 0);
        assert.deepEqual([...seen].sort((x, y) => x - y), seen, `updates on ${name} in order`);
      }
    } finally {
      await Promise.all(clients.map((cl) => cl.close()));
    }
  });

  it('each queue item is consumed exactly once by concurrent consumers on all three replicas', async () => {
    const ITEMS = 150;
    const consumed = await queueTraffic({ replicas, headers: WORKER }, 'jobs-three-replicas', ITEMS, 3);
    const numbers = consumed.map((c) => c.n).sort((x, y) => x - y);
    assert.deepEqual(numbers, Array.from({ length: ITEMS }, (_, i) => i), 'every item once, none twice');
    const perReplica = [0, 1, 2].map((r) => consumed.filter((c) => c.replica === r).length);
    assert.ok(perReplica.every((n) => n > 0), `consumers on every replica took items: ${perReplica.join(', ')}`);
    assert.equal((await gql(replicas[2]!, 'query($q: String!) { queue(name: $q) { length } }', { q: 'jobs-three-replicas' })).queue.length, 0);
  });

  it('a lock has one holder at a time across replicas, and counters add up', async () => {
    const ROUNDS = 5;
    // Three contenders per replica, each critical section a read-modify-write through two other replicas.
    const { maxHolders, sections } = await lockTraffic({ replicas, headers: WORKER }, 'three-replicas', 'three-replicas-count', 3, ROUNDS);
    assert.equal(maxHolders, 1, 'never two holders at once');
    assert.equal(sections, 9 * ROUNDS);
    const { kv, taskStats } = await gql(replicas[0]!, '{ kv(key: "three-replicas-count") { value } taskStats(taskId: "three-replicas-count") { totalExecutions } }');
    assert.equal(kv.value, 9 * ROUNDS, 'no lost update inside the lock');
    assert.equal(taskStats.totalExecutions, 9 * ROUNDS, 'every recordExecution counted once');
  });

  it("a key's rate-limit budget is shared: three replicas together accept exactly the tokens its bucket holds", async () => {
    // One request creates the key's bucket in Redis; then it is set to BUDGET tokens. Per-process
    // buckets would still hold 100,000 each and accept everything below.
    assert.equal((await post(replicas[0]!.url, '{ __typename }', undefined, bearer(KEYS.read))).status, 200);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const buckets = (await keysUnder(redis, keyPrefix)).filter((k) => k.includes('ratelimit') && k.includes('dashboard'));
      assert.equal(buckets.length, 1, `one bucket for the key "dashboard": ${buckets.join(', ')}`);
      await redis.hset(buckets[0]!, 'tokens', String(BUDGET));
    } finally {
      redis.disconnect();
    }
    const answers = await Promise.all(replicas.flatMap((g) => Array.from({ length: BUDGET }, () => post(g.url, '{ __typename }', undefined, bearer(KEYS.read)))));
    const accepted = answers.filter((a) => a.status === 200 && !a.body.errors).length;
    const refused = answers.filter((a) => a.status === 429 && a.body.errors?.[0]?.extensions?.code === 'RATE_LIMITED').length;
    assert.equal(accepted, BUDGET, `accepted ${accepted} of ${answers.length}`);
    assert.equal(refused, answers.length - BUDGET);
    // Other keys have buckets of their own, on every replica.
    for (const g of replicas) assert.equal((await post(g.url, '{ __typename }', undefined, bearer(KEYS.admin))).status, 200);
  });
  it('all at once: writers, readers, SSE and WebSocket subscribers, queue consumers, lock contenders and a rate-limited key on all three replicas', async (t) => {
    const set: ReplicaSet = { replicas, headers: WORKER };
    const ROUNDS = 12; // per writer: a log line, an event and an update each round
    const ITEMS = 60;
    const LOCK_ROUNDS = 3;
    const RATE_BUDGET = 12;
    const ids: string[] = [];
    for (const r of [0, 1, 2]) {
      const { createEvaluation } = await gql(replicas[r]!, 'mutation { createEvaluation(input: { code: "mixed" }) { id } }');
      await gql(replicas[(r + 1) % 3]!, 'mutation($id: ID!) { markRunning(id: $id, input: { host: "mixed" }) { status } }', { id: createEvaluation.id });
      ids.push(createEvaluation.id as string);
    }
    // The write key "ci" gets a bucket of RATE_BUDGET tokens (no refill during the test), spent
    // by its requests on all three replicas while everything else runs.
    assert.equal((await post(replicas[0]!.url, '{ __typename }', undefined, bearer(KEYS.write))).status, 200);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      await redis.hset(`${keyPrefix}ratelimit:ci`, 'tokens', String(RATE_BUDGET));
    } finally {
      redis.disconnect();
    }

    const { watches, clients } = watchAll(set, ids);
    try {
      // The first result of each is sent once the subscription is in place on its replica.
      await Promise.all(watches.flatMap((w) => [w.events.atLeast(1), w.updates.atLeast(1)]));
      const hitsBefore = await Promise.all(replicas.map((g) => counter(g, 'strata_cache_lookups_total', { result: 'hit' })));
      const acked: Acked = new Map();
      let writing = true;
      const [stale, reading, consumed, locks, rate] = await Promise.all([
        writers(set, ids, ROUNDS, acked).finally(() => (writing = false)),
        readers(set, ids, acked, () => writing),
        queueTraffic(set, 'jobs-mixed', ITEMS, 2),
        lockTraffic(set, 'mixed-lock', 'mixed-count', 2, LOCK_ROUNDS),
        rateTraffic(set, bearer(KEYS.write), RATE_BUDGET),
      ]);
      // Each evaluation finishes through a replica its writer did not start on; every subscription then completes.
      for (const [k, id] of ids.entries()) await gql(replicas[(k + 2) % 3]!, 'mutation($id: ID!) { updateEvaluation(id: $id, input: { status: COMPLETED }) { status } }', { id });
      await Promise.all(watches.flatMap((w) => [w.logs.done, w.events.done, w.updates.done]));
      t.diagnostic(`${ids.length * ROUNDS * 4} writer operations, ${reading.reads} concurrent reads, ${ITEMS * 2} queue operations or more, ${locks.sections} critical sections, ${RATE_BUDGET * 3} rate-limited requests, ${watches.length * 3} subscriptions`);

      // No stale read after an acknowledged write, straight after it or concurrently, through the shared cache.
      assert.deepEqual([...stale, ...reading.stale], [], `stale reads (${reading.reads} concurrent reads)`);
      assert.ok(reading.reads > 0);
      const hitsAfter = await Promise.all(replicas.map((g) => counter(g, 'strata_cache_lookups_total', { result: 'hit' })));
      hitsAfter.forEach((h, i) => assert.ok(h > hitsBefore[i]!, `replica ${NAMES[i]} served no read from the Redis cache`));

      // Every subscription, on every replica and transport, saw every change whichever replica made it.
      for (const w of watches) {
        const where = `${w.id} on ${NAMES[w.replica]} over ${w.transport}`;
        const k = ids.indexOf(w.id);
        const rounds = Array.from({ length: ROUNDS }, (_, i) => i + 1);
        assert.deepEqual(values(w.logs, 'evaluationLogs').map((l) => `${l.seq}:${l.text}`), rounds.map((n) => `${n}:${lineOf(w.id, n, writerReplica(k, n))}`), `logs of ${where}`);
        const timeline = values(w.events, 'evaluationEvents');
        assert.deepEqual(timeline.filter((e) => e.type === 'progress').map((e) => e.message), rounds.map((n) => stepOf(w.id, n, writerReplica(k, n))), `events of ${where}`);
        assert.equal(timeline.at(-1)?.type, 'status_changed', `events of ${where} end with the finish`);
        const states = values(w.updates, 'evaluationUpdated');
        assert.deepEqual(states.at(-1), { status: 'COMPLETED', retries: ROUNDS }, `updates of ${where}`);
        const seen = states.map((s) => s.retries ?? 0);
        assert.deepEqual([...seen].sort((x, y) => x - y), seen, `updates of ${where} never go back`);
      }

      // Each queue item consumed once, by consumers on every replica.
      assert.deepEqual(consumed.map((c) => c.n).sort((x, y) => x - y), Array.from({ length: ITEMS }, (_, i) => i), 'every item once, none twice');
      assert.ok([0, 1, 2].every((r) => consumed.some((c) => c.replica === r)), 'consumers on every replica took items');

      // One lock holder at a time: no lost update of the KV counter written inside the lock; task counters add up.
      assert.equal(locks.maxHolders, 1, 'never two holders at once');
      assert.equal(locks.sections, 3 * 2 * LOCK_ROUNDS);
      const { kv, taskStats } = await gql(replicas[0]!, '{ kv(key: "mixed-count") { value } taskStats(taskId: "mixed-count") { totalExecutions } }');
      assert.deepEqual([kv.value, taskStats.totalExecutions], [locks.sections, locks.sections], 'no lost update inside the lock; every execution counted');

      // The key's budget is shared: the three replicas together accepted exactly the tokens its bucket held.
      assert.deepEqual(rate, { accepted: RATE_BUDGET, refused: 2 * RATE_BUDGET, other: [] });
    } finally {
      await Promise.all(clients.map((cl) => cl.close()));
    }
  });
});
