import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { testConfig } from '../../src/config.ts';
import { AppendLogsDocument, CreateEvaluationDocument, LogsDocument, MarkRunningDocument, RunningEvaluationsDocument, UpdateEvaluationDocument } from '../generated/graphql.ts';
import { eventually } from '../support/eventually.ts';
import { postgresUnavailable } from '../support/postgres.ts';
import { deleteKeysUnder, redisUnavailable, TEST_REDIS_URL } from '../support/redis.ts';
import { commandsDuring } from '../support/redis-monitor.ts';
import { OwnRedisServer, redisServerUnavailable } from '../support/redis-server.ts';
import { createRunningApp, type RunningTestApp } from '../support/running.ts';

const skip = (await postgresUnavailable()) ?? (await redisUnavailable());
const running = { ...testConfig().running, logTailLines: 100 };

/** What Redis adds: one round trip for the running set, rebuilds from PostgreSQL, and the hot log tail. */
describe('running state in Redis, with PostgreSQL as the source of truth', { skip: skip ?? false }, () => {
  let app: RunningTestApp;
  let redis: Redis;
  const setKey = () => `${app.keyPrefix}{running}:running_evaluations`;
  const listed = async (a = app) => (await a.gql(RunningEvaluationsDocument)).body.data!.runningEvaluations.map((e) => [e.id, e.running?.host]);
  const costOf = async <T,>(url: string, fn: () => Promise<T>) => {
    const before = app.registry.sql!.stats.statements;
    const { result, commands } = await commandsDuring(url, app.keyPrefix!, fn);
    return { result, redis: commands.length, sql: app.registry.sql!.stats.statements - before };
  };

  before(async () => {
    app = await createRunningApp('postgres+redis', { running });
    redis = new Redis(TEST_REDIS_URL);
    for (const id of ['r1', 'r2', 'r3', 'queued', 'done']) await app.gql(CreateEvaluationDocument, { input: { id, code: 'x' } });
    for (const id of ['r1', 'r2', 'r3', 'done']) await app.gql(MarkRunningDocument, { id, input: { host: `host-${id}` } });
    await app.gql(UpdateEvaluationDocument, { id: 'done', input: { status: 'COMPLETED' } });
  });
  after(async () => {
    redis.disconnect();
    await app.close();
  });

  it('lists running evaluations with one Redis round trip and one SQL statement', async () => {
    await eventually('the running set to be marked complete', async () => ((await redis.exists(`${app.keyPrefix}{running}:built`)) ? true : undefined));
    await listed(); // loads the script into Redis
    const cost = await costOf(TEST_REDIS_URL, listed);
    assert.deepEqual(cost.result, [['r1', 'host-r1'], ['r2', 'host-r2'], ['r3', 'host-r3']]);
    assert.deepEqual([cost.redis, cost.sql], [1, 1], 'one script call (set + records), one batched load of the evaluations');
  });

  it('answers from PostgreSQL when the set is lost (keys deleted), and rebuilds it', async () => {
    assert.ok((await deleteKeysUnder(app.keyPrefix!)) >= 4, 'only this test’s own keys are deleted');
    assert.deepEqual(await listed(), [['r1', 'host-r1'], ['r2', 'host-r2'], ['r3', 'host-r3']], 'still right, from PostgreSQL');
    await eventually('the set rebuilt', async () => ((await redis.smembers(setKey())).sort().join() === 'r1,r2,r3' ? true : undefined));
    const cost = await costOf(TEST_REDIS_URL, listed);
    assert.deepEqual([cost.result.length, cost.redis, cost.sql], [3, 1, 1], 'served by Redis again');
  });

  it('skips and prunes an entry a race left behind (a report landing after the finish)', async () => {
    await redis.hset(`${app.keyPrefix}{running}:eval:done:running`, { version: '9', startedAt: '0', info: '{}' });
    await redis.sadd(setKey(), 'done');
    assert.deepEqual(await listed(), [['r1', 'host-r1'], ['r2', 'host-r2'], ['r3', 'host-r3']]);
    await eventually('the stale entry pruned', async () => ((await redis.sismember(setKey(), 'done')) === 0 ? true : undefined));
    assert.equal(await redis.exists(`${app.keyPrefix}{running}:eval:done:running`), 0);
  });

  it('reads a RUNNING evaluation’s logs from its tail when the tail covers the read', async () => {
    await app.gql(AppendLogsDocument, { id: 'r1', lines: Array.from({ length: 150 }, (_, i) => ({ text: `l${i + 1}` })) });
    const read = async (args: { tail?: number; afterSeq?: number }) => {
      const cost = await costOf(TEST_REDIS_URL, () => app.gql(LogsDocument, { id: 'r1', ...args }));
      const logs = cost.result.body.data!.evaluation!.logs;
      return { seqs: [logs.lines[0]?.seq, logs.lines.at(-1)?.seq, logs.lines.length], nextSeq: logs.nextSeq, sql: cost.sql, redis: cost.redis };
    };
    // One SQL statement is the evaluation itself; a second one means the lines came from PostgreSQL.
    assert.deepEqual(await read({ tail: 10 }), { seqs: [141, 150, 10], nextSeq: 151, sql: 1, redis: 1 });
    assert.deepEqual(await read({ afterSeq: 120 }), { seqs: [121, 150, 30], nextSeq: 151, sql: 1, redis: 1 });
    assert.deepEqual(await read({ afterSeq: 150 }), { seqs: [undefined, undefined, 0], nextSeq: 151, sql: 1, redis: 1 });
    assert.deepEqual(await read({ afterSeq: 0 }), { seqs: [1, 150, 150], nextSeq: 151, sql: 2, redis: 1 }, 'lines 1-50 left the tail');
    await app.gql(UpdateEvaluationDocument, { id: 'r1', input: { status: 'COMPLETED' } });
    assert.equal(await redis.exists(`${app.keyPrefix}logs:{r1}:latest`), 0, 'a finished evaluation’s tail is deleted');
    assert.deepEqual(await read({ tail: 10 }), { seqs: [141, 150, 10], nextSeq: 151, sql: 2, redis: 0 });
  });

  it('gives 20 concurrent appenders of 50 lines seqs 1..1000 once each, and a tail of the newest lines', async () => {
    const calls = await Promise.all(
      Array.from({ length: 20 }, (_, c) => app.gql(AppendLogsDocument, { id: 'r2', lines: Array.from({ length: 50 }, (_, i) => ({ text: `c${c}-${i}` })) })),
    );
    const seqs = calls.flatMap((r) => r.body.data!.appendLogs.lines.map((l) => l.seq)).sort((a, b) => a - b);
    assert.deepEqual(seqs, Array.from({ length: 1000 }, (_, i) => i + 1));
    const tail = (await redis.zrange(`${app.keyPrefix}logs:{r2}:latest`, 0, -1)).map((m) => (JSON.parse(m) as [number])[0]);
    assert.deepEqual(tail, Array.from({ length: 100 }, (_, i) => 901 + i), 'LOG_TAIL_LINES newest lines, whatever order the pushes landed in');
    const logs = (await app.gql(LogsDocument, { id: 'r2', tail: 100 })).body.data!.evaluation!.logs;
    assert.deepEqual([logs.lines[0]!.seq, logs.lines.length, logs.nextSeq], [901, 100, 1001]);
  });

  it('refills a restarted, empty Redis from PostgreSQL, and keeps serving while it is down', { skip: redisServerUnavailable() ?? false }, async () => {
    const server = await OwnRedisServer.start();
    const own = await createRunningApp('postgres+redis', { running }, server.url);
    const ownRedis = new Redis(server.url).on('error', () => {}); // it is down for a while, on purpose
    try {
      for (const id of ['x1', 'x2']) {
        await own.gql(CreateEvaluationDocument, { input: { id, code: 'x' } });
        await own.gql(MarkRunningDocument, { id, input: { host: 'h' } });
      }
      const ownSet = `${own.keyPrefix}{running}:running_evaluations`;
      await server.stop();
      await own.gql(CreateEvaluationDocument, { input: { id: 'x3', code: 'x' } });
      const down = await own.gql(MarkRunningDocument, { id: 'x3', input: { host: 'h' } });
      assert.equal(down.body.errors, undefined, 'markRunning works without Redis');
      assert.deepEqual(await listed(own), [['x1', 'h'], ['x2', 'h'], ['x3', 'h']], 'and the list comes from PostgreSQL');
      await server.resume(); // empty: nothing was persisted
      await eventually('the set refilled after the reconnect', async () => ((await ownRedis.smembers(ownSet)).sort().join() === 'x1,x2,x3' ? true : undefined));
      const hosts = await ownRedis.hget(`${own.keyPrefix}{running}:eval:x3:running`, 'host');
      assert.equal(hosts, 'h', 'with the container info recorded while Redis was down');
    } finally {
      ownRedis.disconnect();
      await own.close();
      await server.stop();
    }
  });
});
