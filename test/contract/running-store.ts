import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LogStore, RunningStore } from '../../src/backends/running-types.ts';
import type { EvaluationStore } from '../../src/backends/types.ts';
import { testConfig } from '../../src/config.ts';
import { EvaluationService } from '../../src/services/evaluations.ts';

export interface RunningHandle {
  evaluations: EvaluationStore;
  running: RunningStore;
  logs: LogStore;
  close(): Promise<void>;
}

const at = (second: number) => new Date(Date.UTC(2024, 6, 1, 12, 0, second));
const report = (second: number, fields: Partial<{ containerId: string; host: string; info: Record<string, unknown> }> = {}) => ({
  containerId: fields.containerId ?? null,
  host: fields.host ?? null,
  info: fields.info ?? null,
  at: at(second),
});

/** The RunningStore contract, run against every primary backend (test/backends/running-*.test.ts). */
export function runningStoreContract(name: string, factory: () => Promise<RunningHandle>): void {
  describe(`RunningStore contract: ${name}`, () => {
    let h: RunningHandle;
    let service: EvaluationService;
    beforeEach(async () => {
      h = await factory();
      service = new EvaluationService(h.evaluations, testConfig().limits);
      await service.create({ id: 'queued', code: 'x' });
      await service.create({ id: 'run', code: 'x' });
      await service.update('run', { status: 'RUNNING' });
    });
    afterEach(() => h.close());

    it('writes only for a RUNNING evaluation', async () => {
      assert.equal(await h.running.upsert('missing', report(1)), null);
      assert.equal(await h.running.upsert('queued', report(1)), null);
      assert.deepEqual(await h.running.getMany(['missing', 'queued']), new Map());
      const created = await h.running.upsert('run', report(1, { containerId: 'c1', host: 'h1', info: { cpu: 1 } }));
      assert.deepEqual(created, { evaluationId: 'run', containerId: 'c1', host: 'h1', info: { cpu: 1 }, startedAt: at(1), heartbeatAt: at(1), version: 1 });
    });

    it('a later report keeps omitted fields, replaces info whole, and never moves the heartbeat back', async () => {
      await h.running.upsert('run', report(10, { containerId: 'c1', host: 'h1', info: { cpu: 1, mem: 2 } }));
      const beat = await h.running.upsert('run', report(20, { info: { cpu: 3 } }));
      assert.deepEqual(beat, { evaluationId: 'run', containerId: 'c1', host: 'h1', info: { cpu: 3 }, startedAt: at(10), heartbeatAt: at(20), version: 2 });
      const late = await h.running.upsert('run', report(15, { host: 'h2' }));
      assert.deepEqual([late?.host, late?.info, late?.heartbeatAt, late?.version], ['h2', { cpu: 3 }, at(20), 3]);
      assert.deepEqual((await h.running.getMany(['run', 'queued'])).get('run'), late);
    });

    it('forgets a finished evaluation and refuses to write for it again', async () => {
      await h.running.upsert('run', report(1));
      await service.update('run', { status: 'COMPLETED' });
      await h.running.remove('run');
      await h.running.remove('run');
      assert.equal((await h.running.getMany(['run'])).size, 0);
      assert.equal(await h.running.upsert('run', report(2)), null);
    });

    it('numbers concurrent reports 1..n, each version once', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => h.running.upsert('run', report(i, { containerId: `c${i}` }))));
      assert.deepEqual(results.map((r) => r!.version).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
      assert.equal((await h.running.getMany(['run'])).get('run')!.version, 20);
    });

    it('returns copies: changing a result changes nothing stored', async () => {
      const r = (await h.running.upsert('run', report(1, { info: { a: 1 } })))!;
      r.info['a'] = 2;
      (await h.running.getMany(['run'])).get('run')!.info['a'] = 3;
      assert.deepEqual((await h.running.getMany(['run'])).get('run')!.info, { a: 1 });
    });
  });
}
