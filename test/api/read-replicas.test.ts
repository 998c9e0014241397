import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readRouterOf, type ReadRouter } from '../../src/backends/postgres/read-routing.ts';
import { createRegistry, type Registry } from '../../src/backends/registry.ts';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';
import { createStrataYoga } from '../../src/yoga.ts';
import { createTestApp, silentLogger } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { API_KEYS_ENV, bearer, KEYS } from '../support/keys.ts';
import { pgClusterUnavailable, startPgCluster, startStandby, type PgCluster } from '../support/pg-cluster.ts';
import { postgresUnavailable } from '../support/postgres.ts';
import { deleteKeysUnder, redisUnavailable, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.ts';
import { caughtUp, executedStatements, pauseReplay, resumeReplay } from '../support/replication.ts';

const skip = pgClusterUnavailable();
const redisSkip = skip ? null : await redisUnavailable();
const postgresSkip = await postgresUnavailable();

interface Gateway {
  registry: Registry;
  router: ReadRouter;
  gql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: { data?: any; errors?: any[]; extensions?: any } }>;
  fetch(path: string): Promise<Response>;
  /** One HTTP request of several operations (a JSON array body); their results in order. */
  batch(operations: { query: string; variables?: Record<string, unknown> }[]): Promise<any[]>;
}

const CREATE = 'mutation($id: ID!) { createEvaluation(input: { id: $id, code: "print(1)" }) { id events { edges { node { type } } } } }';
const READ = 'query($id: ID!) { evaluation(id: $id) { id events { edges { node { type } } } } }';
const admin = bearer(KEYS.admin);
const CREATED = { edges: [{ node: { type: 'created' } }] };

/** Reads each target answered while `fn` ran (the router's counts; `replicaLog` is the standby's own count). */
async function routed(gw: Gateway, standby: PgCluster, fn: () => Promise<unknown>) {
  const before = { ...gw.router.counts, log: executedStatements(standby) };
  await fn();
  const c = gw.router.counts;
  return { primary: c.primary - before.primary, replica: c.replica - before.replica, fallbacks: c.fallbacks - before.fallbacks, replicaLog: executedStatements(standby) - before.log };
}

describe('read replicas: routing to a real hot standby (pg_basebackup -R of a primary of the test\'s own)', { skip: skip ?? false }, () => {
  let primary: PgCluster;
  let standby: PgCluster;
  const registries: Registry[] = [];
  before(async () => {
    primary = await startPgCluster();
    standby = await startStandby(primary, { log_statement: 'all' });
  });
  after(async () => {
    for (const r of registries) await r.close();
    standby?.destroy();
    primary?.destroy();
  });

  async function gateway(env: Record<string, string> = {}): Promise<Gateway> {
    const config = loadConfig({
      DATABASE_URL: primary.url,
      DATABASE_SCHEMA: 'strata',
      DATABASE_POOL_MAX: '4',
      DATABASE_READ_URL: standby.url,
      DATABASE_READ_YOUR_WRITES_MS: '0',
      BLOB_BACKEND: 'memory',
      FALLBACK_ENABLED: 'false',
      STRATA_API_KEYS: API_KEYS_ENV,
      RATE_LIMIT_PER_SECOND: '0',
      LOG_LEVEL: 'silent',
      ...env,
    });
    const registry = await createRegistry(config, silentLogger, { migrate: true });
    registries.push(registry);
    const yoga = createStrataYoga({ config, registry, logger: silentLogger });
    await caughtUp(primary, standby);
    return {
      registry,
      router: readRouterOf(registry.sql)!,
      fetch: async (path) => yoga.fetch(`http://yoga${path}`, { headers: admin }),
      async batch(operations) {
        const res = await yoga.fetch('http://yoga/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...admin },
          body: JSON.stringify(operations),
        });
        return (await res.json()) as any[];
      },
      async gql(query, variables = {}, headers = admin) {
        const res = await yoga.fetch('http://yoga/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
          body: JSON.stringify({ query, variables }),
        });
        return { status: res.status, body: await res.json() };
      },
    };
  }

  let gw: Gateway;
  before(async () => {
    gw = await gateway();
  });

  it('sends the reads of a query to the replica (counted by the router and in the standby\'s own log)', async () => {
    await gw.gql(CREATE, { id: 'rr-1' });
    await caughtUp(primary, standby);
    let body: any;
    const counts = await routed(gw, standby, async () => ({ body } = await gw.gql(READ, { id: 'rr-1' })));
    assert.deepEqual(body.data.evaluation, { id: 'rr-1', events: CREATED });
    assert.deepEqual(counts, { primary: 0, replica: 2, fallbacks: 0, replicaLog: 2 }, 'the evaluation and its events, both on the standby');
  });

  it('runs a mutation on the primary, its own reads included, and returns a consistency token', async () => {
    await pauseReplay(standby);
    try {
      let body: any;
      const counts = await routed(gw, standby, async () => ({ body } = await gw.gql(CREATE, { id: 'rr-2' })));
      assert.deepEqual(body.data.createEvaluation, { id: 'rr-2', events: CREATED }, 'the mutation reads what it wrote');
      assert.equal(counts.replica, 0);
      assert.equal(counts.replicaLog, 0);
      assert.match(body.extensions.consistencyToken, /^[0-9A-F]+\/[0-9A-F]+$/);
    } finally {
      await resumeReplay(standby);
    }
  });

  it('sends a read carrying the token to the primary while the replica has not replayed it (replay paused)', async () => {
    await caughtUp(primary, standby);
    await pauseReplay(standby);
    try {
      const { body: created } = await gw.gql(CREATE, { id: 'rr-3' });
      const token = created.extensions.consistencyToken as string;
      let body: any;
      const withToken = await routed(gw, standby, async () => ({ body } = await gw.gql(READ, { id: 'rr-3' }, { ...admin, 'x-strata-consistency': token })));
      assert.deepEqual(body.data.evaluation, { id: 'rr-3', events: CREATED }, 'the token read sees the write');
      assert.deepEqual({ ...withToken, replicaLog: undefined }, { primary: 2, replica: 0, fallbacks: 0, replicaLog: undefined });
      assert.equal(withToken.replicaLog, 0);

      // Without the token (and with no window) a read may go to the lagging replica: allowed, documented.
      const without = await routed(gw, standby, async () => ({ body } = await gw.gql(READ, { id: 'rr-3' })));
      assert.equal(body.data.evaluation, null, 'the paused standby has not replayed the create');
      assert.deepEqual(without, { primary: 0, replica: 1, fallbacks: 0, replicaLog: 1 });

      const { body: storage } = await gw.gql('{ storage { backends { role healthy metrics } } }');
      const replica = storage.data.storage.backends.find((b: any) => b.role === 'replica');
      assert.equal(replica.healthy, true);
      assert.equal(replica.metrics.replayPaused, true);
      assert.equal(replica.metrics.reachable, true);
      assert.ok(replica.metrics.lagBytes > 0, `lag in bytes while replay is paused (got ${replica.metrics.lagBytes})`);
      assert.ok(replica.metrics.lagSeconds >= 0);
      const scrape = await (await gw.fetch('/metrics')).text();
      const label = replica.metrics.replica as string;
      assert.match(scrape, new RegExp(`strata_db_replica_up\\{replica="${label}"\\} 1`));
      const lagLine = new RegExp(`strata_db_replica_lag_bytes\\{replica="${label}"\\} (\\d+)`).exec(scrape);
      assert.ok(lagLine && Number(lagLine[1]) > 0, 'the lag is in /metrics too');
      assert.match(scrape, /strata_db_reads_total\{target="replica"\} [1-9]/);
      await resumeReplay(standby);
      await caughtUp(primary, standby);
      const caught = await routed(gw, standby, async () => ({ body } = await gw.gql(READ, { id: 'rr-3' }, { ...admin, 'x-strata-consistency': token })));
      assert.deepEqual(body.data.evaluation, { id: 'rr-3', events: CREATED });
      assert.deepEqual(caught, { primary: 0, replica: 2, fallbacks: 0, replicaLog: 2 }, 'once replayed, the token read goes to the replica');
      const { body: after } = await gw.gql('{ storage { backends { role metrics } } }');
      assert.equal(after.data.storage.backends.find((b: any) => b.role === 'replica').metrics.lagBytes, 0);
    } finally {
      await resumeReplay(standby);
    }
  });

  it('reads its own write within one HTTP batch: [mutation, query] with replay paused, the query on the primary', async () => {
    await caughtUp(primary, standby);
    await pauseReplay(standby);
    try {
      // yoga runs a batch's operations concurrently: without use-batch-order.ts about half of
      // these queries ran before their mutation had committed and found nothing.
      const BATCHES = 10;
      const seen: unknown[] = [];
      const counts = await routed(gw, standby, async () => {
        for (let i = 0; i < BATCHES; i++) {
          const [created, read] = await gw.batch([
            { query: CREATE, variables: { id: `rr-batch-${i}` } },
            { query: READ, variables: { id: `rr-batch-${i}` } },
          ]);
          assert.deepEqual([created.errors, read.errors], [undefined, undefined]);
          seen.push(read.data.evaluation);
        }
      });
      assert.deepEqual(seen, Array.from({ length: BATCHES }, (_, i) => ({ id: `rr-batch-${i}`, events: CREATED })), 'each query sees the mutation before it in its batch');
      assert.deepEqual([counts.replica, counts.replicaLog, counts.fallbacks], [0, 0, 0], 'nothing of a batch with a mutation read the paused standby');
      // Alone, the same query may read the paused standby, which has not replayed the creates.
      assert.equal((await gw.gql(READ, { id: 'rr-batch-0' })).body.data.evaluation, null);
    } finally {
      await resumeReplay(standby);
    }
  });

  it('refuses a consistency header that is not a token, with BAD_USER_INPUT, and reads nothing', async () => {
    for (const bad of ["0/0'; DROP TABLE evaluations; --", 'x'.repeat(10_000), '1/2/3', '-1/0', 'G/0']) {
      const counts = await routed(gw, standby, async () => {
        const { body } = await gw.gql(READ, { id: 'rr-1' }, { ...admin, 'x-strata-consistency': bad });
        assert.equal(body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', bad.slice(0, 20));
        assert.match(body.errors[0].message, /x-strata-consistency/);
      });
      assert.deepEqual(counts, { primary: 0, replica: 0, fallbacks: 0, replicaLog: 0 });
    }
    // A well-formed token from far ahead is safe: the read goes to the primary.
    const { body } = await gw.gql(READ, { id: 'rr-1' }, { ...admin, 'x-strata-consistency': 'FFFFFFFF/FFFFFFFF' });
    assert.equal(body.data.evaluation.id, 'rr-1');
  });

  it('keeps a key\'s reads on the primary within DATABASE_READ_YOUR_WRITES_MS of its write; other keys may read the replica', async () => {
    const windowed = await gateway({ DATABASE_READ_YOUR_WRITES_MS: '600000' });
    await pauseReplay(standby);
    try {
      await windowed.gql(CREATE, { id: 'rr-4' }, bearer(KEYS.worker));
      let body: any;
      const writer = await routed(windowed, standby, async () => ({ body } = await windowed.gql(READ, { id: 'rr-4' }, bearer(KEYS.worker))));
      assert.deepEqual(body.data.evaluation, { id: 'rr-4', events: CREATED });
      assert.deepEqual(writer, { primary: 2, replica: 0, fallbacks: 0, replicaLog: 0 });
      const other = await routed(windowed, standby, async () => ({ body } = await windowed.gql(READ, { id: 'rr-4' }, bearer(KEYS.read))));
      assert.equal(body.data.evaluation, null, 'another key, outside its own window, may read the paused replica');
      assert.deepEqual(other, { primary: 0, replica: 1, fallbacks: 0, replicaLog: 1 });
    } finally {
      await resumeReplay(standby);
    }
  });

  it('shares the window between gateway processes through Redis', { skip: redisSkip ?? false }, async () => {
    const prefix = testKeyPrefix();
    const env = { DATABASE_READ_YOUR_WRITES_MS: '600000', REDIS_URL: TEST_REDIS_URL, KEY_PREFIX: prefix, CACHE_ENABLED: 'false' };
    const [a, b] = [await gateway(env), await gateway(env)];
    await pauseReplay(standby);
    try {
      await a.gql(CREATE, { id: 'rr-5' }, bearer(KEYS.worker));
      let body: any;
      const counts = await routed(b, standby, async () => ({ body } = await b.gql(READ, { id: 'rr-5' }, bearer(KEYS.worker))));
      assert.deepEqual(body.data.evaluation, { id: 'rr-5', events: CREATED }, 'gateway b honours the write made through gateway a');
      assert.deepEqual(counts, { primary: 2, replica: 0, fallbacks: 0, replicaLog: 0 });
    } finally {
      await resumeReplay(standby);
      await deleteKeysUnder(prefix);
    }
  });

  it('fills the Redis evaluation cache from the primary only; other reads still use the replica', { skip: redisSkip ?? false }, async () => {
    const prefix = testKeyPrefix();
    const cached = await gateway({ REDIS_URL: TEST_REDIS_URL, KEY_PREFIX: prefix, CACHE_ENABLED: 'true' });
    await pauseReplay(standby);
    try {
      await cached.gql(CREATE, { id: 'rr-6' });
      let body: any;
      const miss = await routed(cached, standby, async () => ({ body } = await cached.gql(READ, { id: 'rr-6' })));
      assert.deepEqual(body.data.evaluation, { id: 'rr-6', events: { edges: [] } }, 'the evaluation from the primary (a cache fill), its events from the paused replica');
      assert.deepEqual(miss, { primary: 1, replica: 1, fallbacks: 0, replicaLog: 1 });
      const hit = await routed(cached, standby, async () => ({ body } = await cached.gql('query($id: ID!) { evaluation(id: $id) { id } }', { id: 'rr-6' })));
      assert.deepEqual(body.data.evaluation, { id: 'rr-6' });
      assert.deepEqual(hit, { primary: 0, replica: 0, fallbacks: 0, replicaLog: 0 }, 'a cache hit reads no database');
    } finally {
      await resumeReplay(standby);
      await deleteKeysUnder(prefix);
    }
  });

  it('routes the same way through a listening server (the fast path of plain POST /graphql), by the standby\'s own count', async () => {
    const config = loadConfig({
      DATABASE_URL: primary.url, DATABASE_SCHEMA: 'strata', DATABASE_READ_URL: standby.url, DATABASE_READ_YOUR_WRITES_MS: '0',
      BLOB_BACKEND: 'memory', FALLBACK_ENABLED: 'false', STRATA_API_KEYS: API_KEYS_ENV, RATE_LIMIT_PER_SECOND: '0', PORT: '0', LOG_LEVEL: 'silent',
    });
    assert.equal(config.perf.fastPath, true);
    const server = await startServer(config, silentLogger);
    const post = async (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) => {
      const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...admin, ...headers }, body: JSON.stringify({ query, variables }) });
      return (await res.json()) as any;
    };
    await caughtUp(primary, standby);
    await pauseReplay(standby);
    try {
      const token = (await post(CREATE, { id: 'rr-7' })).extensions.consistencyToken as string;
      let log = executedStatements(standby);
      assert.deepEqual((await post(READ, { id: 'rr-7' }, { 'x-strata-consistency': token })).data.evaluation, { id: 'rr-7', events: CREATED });
      assert.equal(executedStatements(standby) - log, 0, 'the token read went to the primary');
      log = executedStatements(standby);
      assert.equal((await post(READ, { id: 'rr-7' })).data.evaluation, null);
      assert.equal(executedStatements(standby) - log, 1, 'the read without token went to the paused standby');
      // A batch takes the same path: its query waits for the mutation before it, on the primary.
      log = executedStatements(standby);
      const batch = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...admin },
        body: JSON.stringify([{ query: CREATE, variables: { id: 'rr-7b' } }, { query: READ, variables: { id: 'rr-7b' } }]),
      });
      assert.deepEqual(((await batch.json()) as any[])[1].data.evaluation, { id: 'rr-7b', events: CREATED });
      assert.equal(executedStatements(standby) - log, 0, 'nothing of the batch went to the paused standby');
    } finally {
      await resumeReplay(standby);
      await server.close();
    }
  });

  it('spreads requests over several replicas round-robin, one replica per request, and skips one that is down', async () => {
    const second = await startStandby(primary, { log_statement: 'all' });
    try {
      const two = await gateway({ DATABASE_READ_URL: `${standby.url},${second.url}` });
      await caughtUp(primary, second);
      const logs = () => [executedStatements(standby), executedStatements(second)];
      const before = logs();
      for (let i = 0; i < 4; i++) assert.equal((await two.gql(READ, { id: 'rr-1' })).body.data.evaluation.id, 'rr-1');
      assert.deepEqual(two.router.replicas.map((r) => r.counts.reads), [4, 4], 'two requests of two reads each');
      assert.deepEqual(logs().map((n, i) => n - before[i]!), [4, 4]);
      second.stop();
      const during = await routed(two, standby, async () => {
        for (let i = 0; i < 4; i++) assert.equal((await two.gql(READ, { id: 'rr-1' })).body.data.evaluation.id, 'rr-1');
      });
      assert.equal(during.primary + during.replica, 8, 'every read answered');
      assert.ok(during.replica >= 6, `the live replica takes over (replica reads: ${during.replica})`);
      assert.ok(during.fallbacks <= 1, 'at most the first read on the stopped replica falls back');
    } finally {
      second.destroy();
    }
  });

  it('answers reads from the primary while the replica is down, reports it unreachable, and returns to it', async () => {
    standby.stop();
    try {
      let body: any;
      const down = await routed(gw, standby, async () => ({ body } = await gw.gql(READ, { id: 'rr-1' })));
      assert.deepEqual(body.data.evaluation, { id: 'rr-1', events: CREATED }, 'no read fails');
      assert.equal(down.replica, 0);
      assert.equal(down.primary, 2);
      const { body: storage } = await gw.gql('{ storage { backends { role healthy metrics } } health { ok status } }');
      const replica = storage.data.storage.backends.find((b: any) => b.role === 'replica');
      assert.equal(replica.healthy, false);
      assert.equal(replica.metrics.reachable, false);
      assert.deepEqual(storage.data.health, { ok: true, status: 'degraded' }, 'a replica is not required');
    } finally {
      standby.start();
    }
    await eventually('reads to return to the replica', async () => {
      const { replica } = await routed(gw, standby, () => gw.gql(READ, { id: 'rr-1' }));
      return replica > 0 ? true : undefined;
    });
  });
});

describe('read replicas off (no DATABASE_READ_URL)', () => {
  it('still orders a batch: a query batched after a mutation sees its write on the primary', { skip: postgresSkip ?? false }, async () => {
    const app = await createTestApp('postgres');
    try {
      const seen: unknown[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await app.yoga.fetch('http://yoga/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify([
            { query: CREATE, variables: { id: `pb-${i}` } },
            { query: 'query($id: ID!) { evaluation(id: $id) { id } }', variables: { id: `pb-${i}` } },
            { query: 'mutation($id: ID!) { updateEvaluation(id: $id, input: { retries: 2 }) { retries } }', variables: { id: `pb-${i}` } },
            { query: 'query($id: ID!) { evaluation(id: $id) { retries } }', variables: { id: `pb-${i}` } },
          ]),
        });
        const [, read, updated, reread] = (await res.json()) as any[];
        seen.push([read.data?.evaluation, updated.data?.updateEvaluation, reread.data?.evaluation]);
      }
      assert.deepEqual(seen, Array.from({ length: 10 }, (_, i) => [{ id: `pb-${i}` }, { retries: 2 }, { retries: 2 }]));
    } finally {
      await app.close();
    }
  });

  it('ignores the consistency header: nothing about routing is installed', async () => {
    const app = await createTestApp('memory');
    try {
      const { body } = await app.gql('{ evaluation(id: "none") { id } }', {}, { 'x-strata-consistency': 'not a token' });
      assert.deepEqual(body, { data: { evaluation: null } });
      assert.equal(readRouterOf(app.registry.sql), null);
    } finally {
      await app.close();
    }
  });
});
