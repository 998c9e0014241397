import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/domain/ids.ts';
import { exportAll } from '../../src/maintenance/export.ts';
import { importDir, STATE_FILE } from '../../src/maintenance/import.ts';
import { silentProgress } from '../../src/maintenance/progress.ts';
import { EvaluationService } from '../../src/services/evaluations.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { blobConfigFor } from '../support/texts.ts';

const LARGE = 'line ✓ of a large output\n'.repeat(10_000); // about 270 KB: a blob

async function fileApp(): Promise<TestApp & { done(): Promise<void> }> {
  const { blobs, close } = await blobConfigFor('file');
  const app = await createTestApp('pglite', { blobs });
  return Object.assign(app, { done: async () => (await app.close(), await close()) });
}

describe('strata export and import (embedded PostgreSQL, file blobs)', () => {
  let source: Awaited<ReturnType<typeof fileApp>>;
  let dir: string;
  before(async () => {
    source = await fileApp();
    dir = mkdtempSync(join(tmpdir(), 'strata-export-'));
    const s = new EvaluationService(source.registry.evaluations, source.config.limits);
    await s.create({ id: 'big', code: 'print("big")', metadata: { team: 'a, "quoted"\nline' } });
    await s.update('big', { status: 'RUNNING' });
    await s.update('big', { status: 'COMPLETED', output: LARGE, error: 'warn\u0000ing', runtimeMs: 12 });
    await s.recordMetrics('big', [{ name: 'loss', value: 0.5, step: 1 }, { name: 'loss', value: 0.25, step: 2 }]);
    await s.create({ id: 'gone', code: 'x' });
    await s.softDelete('gone');
  });
  after(async () => {
    await source.done();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips evaluations, timelines, metrics and large outputs through JSON lines, idempotently', async () => {
    assert.equal(await exportAll(source.registry.evaluations, source.registry.texts, join(dir, 'jsonl'), 'jsonl', silentProgress), 2);
    const target = await fileApp();
    try {
      const first = await importDir(target.registry.sql!, target.registry.texts, target.config.limits, join(dir, 'jsonl'), silentProgress);
      assert.deepEqual(first, { imported: 2, alreadyPresent: 0, resumed: 0, skipped: [] });
      const [a, b] = [source, target].map(async (app) => (await app.registry.evaluations.getMany(['big', 'gone'])));
      for (const id of ['big', 'gone']) {
        const [x, y] = [(await a).get(id)!, (await b).get(id)!];
        assert.deepEqual({ ...y, updatedAt: null, output: null, error: null }, { ...x, updatedAt: null, output: null, error: null }, id);
        assert.deepEqual([y.output?.location, y.output?.sha256, y.error?.sha256], [x.output?.location, x.output?.sha256, x.error?.sha256]);
      }
      const big = (await b).get('big')!;
      assert.equal(big.output!.sha256, sha256Hex(LARGE));
      assert.equal(await target.registry.texts.slice(big.output!, 0, 4), 'line');
      const events = (await target.registry.evaluations.listEvents(['big'], { limit: 10 })).get('big')!;
      assert.deepEqual(events.map((e) => e.type), ['created', 'status_changed', 'status_changed']);
      assert.equal((await target.registry.evaluations.listMetrics(['big'], {})).get('big')!.length, 2);
      const again = await importDir(target.registry.sql!, target.registry.texts, target.config.limits, join(dir, 'jsonl'), silentProgress);
      assert.deepEqual(again, { imported: 0, alreadyPresent: 0, resumed: 2, skipped: [] }, 'a rerun resumes after the last line');
      rmSync(join(dir, 'jsonl', STATE_FILE));
      const fresh = await importDir(target.registry.sql!, target.registry.texts, target.config.limits, join(dir, 'jsonl'), silentProgress);
      assert.deepEqual(fresh, { imported: 0, alreadyPresent: 2, resumed: 0, skipped: [] }, 'without the state file, nothing is written twice');
      let blobs = 0;
      for await (const _ of target.registry.blobs.list('evaluations/')) blobs++;
      assert.equal(blobs, 1, 'the blobs of skipped duplicates were removed again');
    } finally {
      await target.done();
    }
  });

  it('writes CSV with quoting and buffering, one file per table, and imports it back', async () => {
    await exportAll(source.registry.evaluations, source.registry.texts, join(dir, 'csv'), 'csv', silentProgress);
    const evaluations = readFileSync(join(dir, 'csv', 'evaluations.csv'), 'utf8');
    assert.match(evaluations, /^id,code,language,status,/);
    assert.ok(evaluations.includes('"{""team"":""a, \\""quoted\\""\\nline""}"'), 'a JSON field with quotes and commas is quoted');
    assert.ok(evaluations.includes('texts/big/output.txt'), 'the large output is a file beside the CSV');
    assert.equal(readFileSync(join(dir, 'csv', 'events.csv'), 'utf8').trim().split('\r\n').length, 1 + 5);
    assert.equal(readFileSync(join(dir, 'csv', 'metrics.csv'), 'utf8').trim().split('\r\n').length, 1 + 2);
    assert.equal(readFileSync(join(dir, 'csv', 'texts', 'big', 'output.txt'), 'utf8'), LARGE);
    const target = await fileApp();
    try {
      const summary = await importDir(target.registry.sql!, target.registry.texts, target.config.limits, join(dir, 'csv'), silentProgress);
      assert.deepEqual(summary, { imported: 2, alreadyPresent: 0, resumed: 0, skipped: [] });
      const [x, y] = [(await source.registry.evaluations.getMany(['big'])).get('big')!, (await target.registry.evaluations.getMany(['big'])).get('big')!];
      assert.deepEqual({ ...y, updatedAt: null, output: null, error: null }, { ...x, updatedAt: null, output: null, error: null });
      assert.deepEqual([y.output!.sha256, y.error!.sha256], [x.output!.sha256, x.error!.sha256], 'texts survive CSV, NUL included');
      assert.equal((await target.registry.evaluations.listEvents(['big'], { limit: 10 })).get('big')!.length, 3);
      assert.deepEqual((await target.registry.evaluations.listMetrics(['big'], {})).get('big')!.map((m) => m.step), [1, 2]);
    } finally {
      await target.done();
    }
  });

  it('skips bad records with file and line, imports the good ones whole, and reads the old layout', async () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    const good = (id: string) => JSON.stringify({ id, code: 'x', status: 'COMPLETED', createdAt: '2024-07-01T00:00:00Z', events: [{ type: 'created', timestamp: '2024-07-01T00:00:00Z' }] });
    writeFileSync(join(bad, 'evaluations.jsonl'), [
      good('ok-1'),
      '{"id": "broken", ',
      JSON.stringify({ id: 'bad-status', code: 'x', status: 'EXPLODED', createdAt: '2024-07-01T00:00:00Z' }),
      JSON.stringify({ id: 'escape', code: 'x', status: 'QUEUED', createdAt: '2024-07-01T00:00:00Z', output: { file: '../../etc/passwd' } }),
      JSON.stringify({ id: '../evil', code: 'x', status: 'QUEUED', createdAt: '2024-07-01T00:00:00Z' }),
      JSON.stringify({ id: 'half', code: 'x', status: 'QUEUED', createdAt: '2024-07-01T00:00:00Z', output: LARGE, events: [{ type: 'created', timestamp: 'yesterday' }] }),
      good('ok-2'),
    ].join('\n'));
    const target = await fileApp();
    try {
      const s = await importDir(target.registry.sql!, target.registry.texts, target.config.limits, bad, silentProgress);
      assert.equal(s.imported, 2);
      assert.deepEqual(s.skipped.map((x) => `${x.file}:${x.line}`), ['evaluations.jsonl:2', 'evaluations.jsonl:3', 'evaluations.jsonl:4', 'evaluations.jsonl:5', 'evaluations.jsonl:6']);
      assert.match(s.skipped[1]!.reason, /status "EXPLODED"/);
      assert.match(s.skipped[4]!.reason, /events\[0\]\.timestamp is not a date/);
      assert.equal((await target.registry.evaluations.getMany(['half'])).size, 0, 'a bad record is never half-written');
      const old = join(dir, 'old');
      mkdirSync(join(old, 'nested'), { recursive: true });
      writeFileSync(join(old, 'eval_a.json'), JSON.stringify({ eval_id: 'eval_a', code: 'print(1)', status: 'completed', output: 'hi', created_at: '2024-07-01T12:00:00Z', runtime_ms: 5, events: [{ event_type: 'created', timestamp: '2024-07-01T12:00:00Z' }] }));
      writeFileSync(join(old, 'nested', 'eval_b.json'), JSON.stringify({ code: 'print(2)', status: 'success', created_at: '2024-07-01T12:00:01Z' }));
      writeFileSync(join(old, 'nested', 'eval_c.json'), '{ not json');
      const o = await importDir(target.registry.sql!, target.registry.texts, target.config.limits, old, silentProgress);
      assert.equal(o.imported, 2);
      assert.deepEqual(o.skipped.map((x) => `${x.file}:${x.line}`), ['nested/eval_c.json:1']);
      const b = (await target.registry.evaluations.getMany(['eval_b'])).get('eval_b')!;
      assert.equal(b.status, 'COMPLETED', 'the id comes from the file name, "success" means COMPLETED');
    } finally {
      await target.done();
    }
  });
});
