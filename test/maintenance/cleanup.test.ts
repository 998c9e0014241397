import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { textBlobKey } from '../../src/domain/blob-keys.ts';
import { sha256Hex } from '../../src/domain/ids.ts';
import { cleanup } from '../../src/maintenance/cleanup.ts';
import { silentProgress } from '../../src/maintenance/progress.ts';
import { EvaluationService } from '../../src/services/evaluations.ts';
import { createTestApp, type BackendName, type TestApp } from '../support/app.ts';
import { postgresUnavailable } from '../support/postgres.ts';
import { blobConfigFor } from '../support/texts.ts';

const DAY = 86_400_000;
const skipPostgres = await postgresUnavailable();

for (const backend of ['pglite', 'postgres'] as BackendName[]) {
  describe(`strata cleanup (${backend}, file blobs)`, { skip: backend === 'postgres' && !!skipPostgres }, () => {
    let app: TestApp;
    let closeBlobs: () => Promise<void>;
    before(async () => {
      const { blobs, close } = await blobConfigFor('file');
      closeBlobs = close;
      app = await createTestApp(backend, { blobs });
    });
    after(async () => {
      await app.close();
      await closeBlobs();
    });

    const blobKeys = async () => {
      const keys: string[] = [];
      for await (const b of app.registry.blobs.list('evaluations/')) keys.push(b.key);
      return keys.sort();
    };

    it('removes old finished and long-deleted evaluations with events, metrics, logs and blobs; keeps the rest', async () => {
      const service = new EvaluationService(app.registry.evaluations, app.config.limits);
      const old = new Date(Date.now() - 40 * DAY);
      const insert = (id: string, createdAt: Date) =>
        app.registry.evaluations.insert({ id, code: id, codeHash: sha256Hex(id), language: 'python', status: 'QUEUED', metadata: {}, taskId: null, createdAt }, { type: 'created', message: null, metadata: {} });
      for (const id of ['old-done', 'old-running', 'old-deleted', 'new-done', 'old-queued-deleted-today']) await insert(id, id.startsWith('new') ? new Date() : old);
      for (const id of ['old-done', 'new-done']) {
        await service.update(id, { status: 'RUNNING' });
        await service.update(id, { status: 'COMPLETED', output: 'x'.repeat(200_000), error: 'boom' });
        await service.recordMetrics(id, [{ name: 'loss', value: 1 }, { name: 'loss', value: 2 }]);
      }
      await service.update('old-running', { status: 'RUNNING' });
      await app.registry.sql!.query(`INSERT INTO evaluation_logs (evaluation_id, seq, timestamp, stream, text) VALUES ('old-done', 1, now(), 'stdout', 'a'), ('old-done', 2, now(), 'stdout', 'b')`);
      await app.registry.sql!.query(`UPDATE evaluations SET deleted_at = $1 WHERE id = 'old-deleted'`, [old]);
      await service.softDelete('old-queued-deleted-today');
      const orphan = textBlobKey('new-done', 'output'); // a replaced output, or a crash before its row
      await app.registry.blobs.put(orphan, [Buffer.from('orphan')].values() as never, { evaluationId: 'new-done', which: 'output' });
      const pending = textBlobKey('new-done', 'error'); // named by a write still in the fallback journal
      await app.registry.blobs.put(pending, [Buffer.from('journaled')].values() as never, { evaluationId: 'new-done', which: 'error' });
      const blobsBefore = await blobKeys();
      assert.equal(blobsBefore.length, 4);

      await app.registry.sql!.query(`INSERT INTO idempotency_keys (key, request_hash, state, created_at) VALUES ('old', 'h', 'done', now() - interval '2 days'), ('new', 'h', 'done', now())`);
      const options = { before: new Date(Date.now() - 30 * DAY), batchSize: 1, orphanGraceMs: 0, journaledBlobKeys: new Set([pending]) };
      const dry = await cleanup(app.registry.sql!, app.registry.blobs, { ...options, dryRun: true }, silentProgress);
      assert.deepEqual(await blobKeys(), blobsBefore, 'a dry run removes nothing');
      assert.equal(await app.registry.evaluations.count({ includeDeleted: true }), 5);
      const done = await cleanup(app.registry.sql!, app.registry.blobs, { ...options, dryRun: false }, silentProgress);
      assert.deepEqual(done, dry, 'the dry run counted exactly what the real run removed');
      assert.deepEqual(
        { evaluations: done.evaluations, events: done.events, metrics: done.metrics, logs: done.logs, blobs: done.blobs, orphans: done.orphans.blobs, keys: done.idempotencyKeys },
        { evaluations: 2, events: 4, metrics: 2, logs: 2, blobs: 1, orphans: 1, keys: 1 }, // events: 3 of old-done, 1 of old-deleted
      );
      const left = [...(await app.registry.evaluations.getMany(['old-done', 'old-running', 'old-deleted', 'new-done', 'old-queued-deleted-today'])).keys()].sort();
      assert.deepEqual(left, ['new-done', 'old-queued-deleted-today', 'old-running']);
      const newDone = (await app.registry.evaluations.getMany(['new-done'])).get('new-done')!;
      assert.deepEqual(await blobKeys(), [newDone.output!.blob!.key, pending].sort(), 'only blobs a row or the journal names are left');
    });
  });
}

describe('strata cleanup on the command line', () => {
  it('prints what it would remove, and refuses a bad duration naming the option', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'strata-cleanup-'));
    try {
      const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', STORAGE_BACKEND: '', LOG_LEVEL: 'silent' };
      const ok = spawnSync(process.execPath, ['bin/strata.js', 'cleanup', '--older-than', '30d', '--dry-run'], { env, encoding: 'utf8' });
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stdout, /^Would remove 0 evaluations \(finished or soft-deleted before .*\) with 0 events, 0 metrics, 0 log lines and 0 blobs/);
      const bad = spawnSync(process.execPath, ['bin/strata.js', 'cleanup', '--older-than', '30 days'], { env, encoding: 'utf8' });
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /--older-than needs a duration like 30d/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
