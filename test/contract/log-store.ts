import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { NewLogLine } from '../../src/backends/running-types.ts';
import { testConfig } from '../../src/config.ts';
import { EvaluationService } from '../../src/services/evaluations.ts';
import type { RunningHandle } from './running-store.ts';

const lines = (n: number, label = 'line', stream = 'stdout'): NewLogLine[] =>
  Array.from({ length: n }, (_, i) => ({ timestamp: new Date(Date.UTC(2024, 6, 1, 12, 0, 0, i)), stream, text: `${label} ${i + 1}` }));

/** The LogStore contract, run against every primary backend (test/backends/running-*.test.ts). */
export function logStoreContract(name: string, factory: () => Promise<RunningHandle>): void {
  describe(`LogStore contract: ${name}`, () => {
    let h: RunningHandle;
    beforeEach(async () => {
      h = await factory();
      const service = new EvaluationService(h.evaluations, testConfig().limits);
      await service.create({ id: 'e', code: 'x' });
      await service.create({ id: 'f', code: 'y' });
      await service.update('f', { status: 'RUNNING' });
    });
    afterEach(() => h.close());

    it('numbers lines from 1 with no gap across calls, and reports the status it saw', async () => {
      assert.equal(await h.logs.append('missing', lines(1)), null);
      const first = await h.logs.append('e', [{ timestamp: new Date(0), stream: 'stderr', text: 'héllo ✓ 🚀' }, { timestamp: new Date(1), stream: 'stdout', text: '' }]);
      assert.deepEqual(first, {
        status: 'QUEUED',
        lines: [
          { seq: 1, timestamp: new Date(0), stream: 'stderr', text: 'héllo ✓ 🚀' },
          { seq: 2, timestamp: new Date(1), stream: 'stdout', text: '' },
        ],
      });
      const second = await h.logs.append('f', lines(3));
      assert.deepEqual([second!.status, second!.lines.map((l) => l.seq)], ['RUNNING', [1, 2, 3]]);
      assert.deepEqual((await h.logs.append('e', lines(2)))!.lines.map((l) => l.seq), [3, 4]);
    });

    it('reads forwards after a seq, or the newest lines, bounded by the limit', async () => {
      await h.logs.append('e', lines(10));
      const read = async (afterSeq: number, limit: number, fromEnd: boolean) => {
        const slice = (await h.logs.read(['e'], { afterSeq, limit, fromEnd })).get('e')!;
        return [slice.lines.map((l) => l.seq), slice.lastSeq];
      };
      assert.deepEqual(await read(0, 3, false), [[1, 2, 3], 10]);
      assert.deepEqual(await read(7, 100, false), [[8, 9, 10], 10]);
      assert.deepEqual(await read(10, 5, false), [[], 10]);
      assert.deepEqual(await read(50, 5, false), [[], 10]);
      assert.deepEqual(await read(0, 3, true), [[8, 9, 10], 10]);
      assert.deepEqual(await read(8, 5, true), [[9, 10], 10]);
      assert.deepEqual(await read(0, 0, true), [[], 10]);
      const line = (await h.logs.read(['e'], { afterSeq: 4, limit: 1, fromEnd: false })).get('e')!.lines[0];
      assert.deepEqual(line, { seq: 5, timestamp: new Date(Date.UTC(2024, 6, 1, 12, 0, 0, 4)), stream: 'stdout', text: 'line 5' });
    });

    it('reads several evaluations at once; one without lines reads empty', async () => {
      await h.logs.append('e', lines(4, 'e'));
      await h.logs.append('f', lines(2, 'f'));
      const slices = await h.logs.read(['f', 'e', 'missing', 'e'], { afterSeq: 1, limit: 2, fromEnd: false });
      assert.deepEqual(slices.get('e')!.lines.map((l) => l.text), ['e 2', 'e 3']);
      assert.deepEqual(slices.get('f')!.lines.map((l) => l.text), ['f 2']);
      assert.deepEqual(slices.get('missing'), { lines: [], lastSeq: 0 });
    });

    it('gives 20 concurrent appenders of 50 lines the seqs 1..1000, each exactly once, each call consecutive', async () => {
      const calls = await Promise.all(Array.from({ length: 20 }, (_, c) => h.logs.append('f', lines(50, `call${c}`))));
      for (const [c, call] of calls.entries()) {
        const seqs = call!.lines.map((l) => l.seq);
        assert.deepEqual(seqs, Array.from({ length: 50 }, (_, i) => seqs[0]! + i), `call ${c} got consecutive seqs`);
        assert.deepEqual(call!.lines.map((l) => l.text), lines(50, `call${c}`).map((l) => l.text), `call ${c} kept its order`);
      }
      const all = calls.flatMap((call) => call!.lines.map((l) => l.seq)).sort((a, b) => a - b);
      assert.deepEqual(all, Array.from({ length: 1000 }, (_, i) => i + 1));
      const stored = (await h.logs.read(['f'], { afterSeq: 0, limit: 2000, fromEnd: false })).get('f')!;
      assert.deepEqual(stored.lines.map((l) => l.seq), all, 'stored in order, no gap, no duplicate');
      assert.equal(stored.lastSeq, 1000);
    });
  });
}
