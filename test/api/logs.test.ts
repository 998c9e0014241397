import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testConfig } from '../../src/config.ts';
import { AppendLogsDocument, CreateEvaluationDocument, LogsDocument, MarkRunningDocument, UpdateEvaluationDocument } from '../generated/graphql.ts';
import { createRunningApp, runningTargets, type RunningTestApp } from '../support/running.ts';
import { dataOf, firstErrorOf } from '../support/assert.ts';

const running = { ...testConfig().running, maxLogRead: 4, maxLogLinesPerCall: 60, maxLogLineBytes: 100, logTailLines: 6 };

/** appendLogs and Evaluation.logs end to end, the same on every target (MAX_LOG_READ is 4 here). */
for (const target of await runningTargets()) {
  describe(`logs over GraphQL (${target})`, () => {
    let app: RunningTestApp;
    before(async () => {
      app = await createRunningApp(target, { running });
      for (const id of ['a', 'b', 'c']) await app.gql(CreateEvaluationDocument, { input: { id, code: 'x' } });
      await app.gql(MarkRunningDocument, { id: 'a' });
    });
    after(() => app.close());

    const ok = dataOf;
    const errorOf = firstErrorOf;
    const text = (n: number, from = 1) => Array.from({ length: n }, (_, i) => ({ text: `line ${from + i}` }));
    const read = async (id: string, args: { tail?: number; afterSeq?: number }) => {
      const logs = (await ok(app.gql(LogsDocument, { id, ...args }))).evaluation!.logs;
      return [logs.lines.map((l) => l.seq), logs.nextSeq];
    };

    it('numbers appended lines in order and returns them with nextSeq', async () => {
      const at = '2024-07-01T12:00:00.000Z';
      const chunk = (await ok(app.gql(AppendLogsDocument, { id: 'a', lines: [{ text: 'hello ✓' }, { text: 'oops', stream: 'stderr', timestamp: at }, { text: '' }] }))).appendLogs;
      assert.deepEqual(chunk.lines.map((l) => [l.seq, l.stream, l.text]), [[1, 'stdout', 'hello ✓'], [2, 'stderr', 'oops'], [3, 'stdout', '']]);
      assert.equal(chunk.lines[1]!.timestamp, at);
      assert.equal(chunk.nextSeq, 4);
      assert.equal((await ok(app.gql(AppendLogsDocument, { id: 'a', lines: text(7, 4) }))).appendLogs.nextSeq, 11);
      assert.deepEqual((await ok(app.gql(AppendLogsDocument, { id: 'a', lines: [] }))).appendLogs, { lines: [], nextSeq: 11 });
    });

    it('pages forwards with afterSeq = nextSeq - 1 through every line exactly once', async () => {
      const seen: number[] = [];
      for (let afterSeq = 0, pages = 0; pages < 10; pages++) {
        const [seqs, nextSeq] = (await read('a', { afterSeq })) as [number[], number];
        if (seqs.length === 0) {
          assert.equal(nextSeq, afterSeq + 1, 'at the end, nextSeq stays one past afterSeq');
          break;
        }
        assert.ok(seqs.length <= 4, 'bounded by MAX_LOG_READ');
        seen.push(...seqs);
        afterSeq = nextSeq - 1;
      }
      assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      assert.deepEqual(await read('a', {}), [[1, 2, 3, 4], 5]);
      assert.deepEqual(await read('a', { afterSeq: 50 }), [[], 51]);
    });

    it('reads the newest lines with tail, also combined with afterSeq', async () => {
      assert.deepEqual(await read('a', { tail: 3 }), [[8, 9, 10], 11]);
      assert.deepEqual(await read('a', { tail: 4, afterSeq: 8 }), [[9, 10], 11]);
      assert.deepEqual(await read('a', { tail: 0 }), [[], 11], 'tail 0: nothing, but where to continue from');
      assert.deepEqual(await read('b', { tail: 2 }), [[], 1]);
      assert.deepEqual(await read('b', {}), [[], 1]);
    });

    it('keeps the logs of a finished evaluation readable and appendable', async () => {
      await ok(app.gql(UpdateEvaluationDocument, { id: 'a', input: { status: 'COMPLETED' } }));
      assert.deepEqual(await read('a', { tail: 2 }), [[9, 10], 11]);
      assert.equal((await ok(app.gql(AppendLogsDocument, { id: 'a', lines: text(1, 11) }))).appendLogs.nextSeq, 12);
      assert.deepEqual(await read('a', { afterSeq: 10 }), [[11], 12]);
    });

    it('refuses hostile input with a coded, actionable error and stores nothing of the call', async () => {
      const refused = async (lines: unknown[], message: RegExp, id = 'c') => {
        const e = await errorOf(app.gql(AppendLogsDocument, { id, lines: lines as never }));
        assert.equal(e.extensions['code'], id === 'missing' ? 'NOT_FOUND' : 'BAD_USER_INPUT', e.message);
        assert.match(e.message, message);
      };
      await refused(text(61), /lines has 61 items; the limit is 60/);
      await refused([...text(5), { text: 'x'.repeat(101) }], /lines\[5\]\.text is 101 bytes; the limit is 100/);
      await refused([{ text: 'é'.repeat(51) }], /102 bytes; the limit is 100/);
      await refused([{ text: 'nul\u0000byte' }], /lines\[0\]\.text contains a NUL character/);
      await refused([{ text: 'half \ud800' }], /unpaired UTF-16 surrogate/);
      for (const stream of ['STDOUT', 'std out', '', '../x', 's'.repeat(33), 'stdout\n']) {
        await refused([{ text: 'x', stream }], /lines\[0\]\.stream must be 1-32 lower-case letters/);
      }
      await refused(text(1), /Evaluation "missing" does not exist/, 'missing');
      assert.deepEqual(await read('c', {}), [[], 1], 'no line of a refused call was stored');

      for (const [args, message] of [
        [{ tail: -1 }, /tail must be between 0 and 4/],
        [{ tail: 5 }, /tail must be between 0 and 4 \(MAX_LOG_READ\)/],
        [{ afterSeq: -1 }, /afterSeq must be between 0 and 2147483646/],
      ] as const) {
        const e = await errorOf(app.gql(LogsDocument, { id: 'c', ...args }));
        assert.equal(e.extensions['code'], 'BAD_USER_INPUT');
        assert.match(e.message, message);
      }
    });
  });
}
