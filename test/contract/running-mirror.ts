import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { RedisClient } from '../../src/backends/redis/connection.ts';
import { createRedisLogTail, type RedisLogTail } from '../../src/backends/redis/log-tail.ts';
import { runningKeys } from '../../src/backends/redis/running-keys.ts';
import { createRedisRunningSet, type RedisRunningSet } from '../../src/backends/redis/running-set.ts';
import type { LogLineRecord, RunningRecord } from '../../src/domain/running.ts';
import { testKeyPrefix } from '../support/redis.ts';

/** A Redis (one server or a cluster) for the running-mirror contract, with test bookkeeping. */
export interface RedisForContract {
  client: RedisClient;
  /** Every key under a prefix, sorted (SCAN; on a cluster, on every master). */
  keysUnder(prefix: string): Promise<string[]>;
  deleteKeysUnder(prefix: string): Promise<unknown>;
}

const record = (id: string, version: number, extra: Partial<RunningRecord> = {}): RunningRecord => ({
  evaluationId: id,
  containerId: null,
  host: null,
  info: {},
  startedAt: new Date(Date.UTC(2024, 6, 1)),
  heartbeatAt: null,
  version,
  ...extra,
});
const line = (seq: number): LogLineRecord => ({ seq, timestamp: new Date(seq * 1000), stream: 'stdout', text: `line ${seq}` });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => line(from + i));

/** The running set and log tails the mirror keeps in Redis, run on one server and on a Redis Cluster. */
export function runningMirrorContract(name: string, target: RedisForContract): void {
  describe(`Redis running set and log tail (the Redis layer on its own): ${name}`, () => {
    const { client: redis, keysUnder } = target;
    let prefix: string;
    let set: RedisRunningSet;
    let tail: RedisLogTail;
    beforeEach(() => {
      prefix = testKeyPrefix();
      set = createRedisRunningSet(redis, runningKeys(prefix));
      tail = createRedisLogTail(redis, runningKeys(prefix), { maxLines: 5, ttlSeconds: 60 });
    });
    afterEach(() => target.deleteKeysUnder(prefix));

    it('lists nothing until the set is marked complete, then every record with its fields', async () => {
      const full = record('a', 3, { containerId: 'c1', host: 'h1', info: { gpu: true }, heartbeatAt: new Date(Date.UTC(2024, 6, 1, 0, 1)) });
      await set.put(full);
      assert.equal(await set.list(), null, 'unmarked: not known to be complete');
      assert.equal(await set.rebuild([record('b', 0)], await set.generation()), true);
      const listed = (await set.list())!.sort((x, y) => x.evaluationId.localeCompare(y.evaluationId));
      assert.deepEqual(listed, [full, record('b', 0)]);
      assert.deepEqual(await keysUnder(prefix), [
        `${prefix}{running}:built`,
        `${prefix}{running}:eval:a:running`,
        `${prefix}{running}:eval:b:running`,
        `${prefix}{running}:running_evaluations`,
      ]);
    });

    it('keeps the newest version whatever order the writes arrive in', async () => {
      await set.rebuild([], await set.generation());
      await set.put(record('a', 2, { host: 'new' }));
      await set.put(record('a', 1, { host: 'old' }));
      await set.put(record('a', 0));
      assert.equal((await set.list())![0]!.host, 'new');
      await set.remove(['a', 'never-there']);
      assert.deepEqual(await set.list(), []);
    });

    it('stays unmarked when a write failed while a rebuild ran, and distrusts a member without its hash', async () => {
      const generation = await set.generation();
      await set.markIncomplete(); // another gateway's write failed meanwhile
      assert.equal(await set.rebuild([record('a', 1)], generation), false);
      assert.equal(await set.list(), null);
      assert.equal(await set.rebuild([record('a', 1)], await set.generation()), true);
      await redis.del(runningKeys(prefix).hash('a')); // as an eviction would
      assert.equal(await set.list(), null);
    });

    it('answers from the tail only when it holds every line asked for', async () => {
      assert.equal(await tail.read('e', { afterSeq: 0, limit: 10, fromEnd: false }), null, 'no tail');
      await tail.push('e', range(4, 6));
      await tail.push('e', range(1, 3)); // a slower appender with lower seqs lands later
      const seqs = async (afterSeq: number, limit: number, fromEnd: boolean) => {
        const slice = await tail.read('e', { afterSeq, limit, fromEnd });
        return slice && [slice.lines.map((l) => l.seq), slice.lastSeq];
      };
      assert.equal(await seqs(0, 10, false), null, 'trimmed to the newest 5: seq 1 is gone');
      assert.deepEqual(await seqs(1, 2, false), [[2, 3], 6]);
      assert.deepEqual(await seqs(6, 10, false), [[], 6], 'caught up');
      assert.deepEqual(await seqs(0, 3, true), [[4, 5, 6], 6]);
      assert.equal(await seqs(0, 6, true), null, 'wants 6 lines, the tail holds 5 and not seq 1');
      assert.deepEqual(await seqs(3, 10, true), [[4, 5, 6], 6]);
      assert.deepEqual(await seqs(0, 0, true), [[], 6]);
      await tail.push('e', [line(9)]); // 7 and 8 still on their way
      assert.equal(await seqs(6, 10, false), null, 'a hole is never served');
      assert.equal(await seqs(0, 2, true), null);
      assert.ok((await redis.ttl(runningKeys(prefix).logTail('e'))) > 0, 'the tail expires unless refreshed');
      await tail.drop(['e']);
      assert.deepEqual(await keysUnder(prefix), []);
    });
  });
}
