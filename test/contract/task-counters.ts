import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { rejectsWithCode } from '../support/assert.ts';
import { eventually } from '../support/eventually.ts';
import type { PlatformFactory, TestPlatform } from '../support/platform.ts';

/** The task counter contract (seed 000's TaskMetrics), run against every backend. */
export function taskCounterContract(name: string, open: PlatformFactory): void {
  describe(`Task counter contract: ${name}`, () => {
    let p: TestPlatform;
    afterEach(() => p.close());

    it('counts executions, successes and failures, and keeps the last run', async () => {
      p = await open();
      assert.equal(await p.counters.get('task-1'), null);
      const before = Date.now();
      await p.counters.record('task-1', true, 10);
      await p.counters.record('task-1', true, 20.5);
      const last = await p.counters.record('task-1', false, 7.25);
      const { lastExecutionAt, ...counts } = last;
      assert.deepEqual(counts, { taskId: 'task-1', totalExecutions: 3, successfulExecutions: 2, failedExecutions: 1, lastDurationMs: 7.25 });
      assert.ok(lastExecutionAt && lastExecutionAt.getTime() >= before - 1000);
      assert.deepEqual(await p.counters.get('task-1'), last);
      assert.equal(await p.counters.get('task-2'), null);
    });

    it('loses no increment under concurrent writers', async () => {
      p = await open();
      await Promise.all(Array.from({ length: 50 }, (_, i) => p.counters.record('busy', i % 5 !== 0, i)));
      const stats = await p.counters.get('busy');
      assert.deepEqual([stats?.totalExecutions, stats?.successfulExecutions, stats?.failedExecutions], [50, 40, 10]);
    });

    it('expires TASK_STATS_TTL_SECONDS after the last write', async () => {
      p = await open({ TASK_STATS_TTL_SECONDS: '1' });
      await p.counters.record('brief', true, 1);
      await eventually('the counters to expire', async () => ((await p.counters.get('brief')) === null ? true : undefined));
      const fresh = await p.counters.record('brief', false, 2);
      assert.deepEqual([fresh.totalExecutions, fresh.failedExecutions], [1, 1], 'a write after expiry starts again');
    });

    it('refuses bad task ids and durations with BAD_USER_INPUT', async () => {
      p = await open();
      for (const d of [-1, Number.NaN, Infinity]) await rejectsWithCode(p.counters.record('t', true, d), 'BAD_USER_INPUT', { field: 'durationMs' });
      for (const id of ['', 'a\nb', 'x'.repeat(2000)]) await rejectsWithCode(p.counters.record(id, true, 1), 'BAD_USER_INPUT', { field: 'taskId' });
      await rejectsWithCode(p.counters.get('a\tb'), 'BAD_USER_INPUT', { field: 'taskId' });
      assert.equal(await p.counters.get('t'), null);
    });
  });
}
