import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StorageOverviewDocument } from '../generated/graphql.ts';
import { createTestApp } from '../support/app.ts';
import { blobConfigFor } from '../support/texts.ts';

describe('storage overview, /health and /ready', () => {
  it('lists the primary and the blob store with role, health, latency and counts; ready when both answer', async () => {
    const { blobs, close } = await blobConfigFor('file');
    const app = await createTestApp('pglite', { blobs });
    try {
      await app.gql('mutation { createEvaluation(input: { id: "e1", code: "x" }) { id } }');
      await app.gql('mutation { updateEvaluation(id: "e1", input: { output: "' + 'x'.repeat(150_000) + '" }) { id } }');
      const overview = (await app.gql(StorageOverviewDocument)).body.data!.storage;
      assert.equal(overview.fallbackPending, 0);
      const byRole = Object.fromEntries(overview.backends.map((b) => [b.role, b]));
      assert.deepEqual([byRole['primary']!.name, byRole['primary']!.healthy, (byRole['primary']!.metrics as any).evaluations], ['pglite', true, 1]);
      assert.deepEqual([byRole['blobs']!.name, byRole['blobs']!.healthy], ['file', true]);
      assert.deepEqual([(byRole['blobs']!.metrics as any).files, (byRole['blobs']!.metrics as any).bytes], [1, 150_000]);
      assert.equal(typeof byRole['blobs']!.latencyMs, 'number');
      const ready = await app.yoga.fetch('http://yoga/ready');
      assert.equal(ready.status, 200);
      assert.equal((await ready.json()).ready, true);
      assert.equal((await app.yoga.fetch('http://yoga/health')).status, 200);
    } finally {
      await app.close();
      await close();
    }
  });

  it('answers /ready with 503 naming the backend that is down, while /health (liveness) stays 200', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'strata-ready-'));
    writeFileSync(join(parent, 'not-a-directory'), 'x');
    const { blobs } = await blobConfigFor('memory');
    // The blob root lies under a regular file: every file operation fails, as on a lost mount.
    const app = await createTestApp('memory', { blobs: { ...blobs, backend: 'file', filePath: join(parent, 'not-a-directory', 'files') } });
    try {
      const ready = await app.yoga.fetch('http://yoga/ready');
      assert.equal(ready.status, 503);
      const body = await ready.json();
      assert.equal(body.ready, false);
      const down = body.backends.filter((b: any) => !b.healthy);
      assert.deepEqual(down.map((b: any) => [b.name, b.role, b.required]), [['file', 'blobs', true]]);
      assert.match(down[0].error, /ENOTDIR/);
      assert.equal((await app.yoga.fetch('http://yoga/health')).status, 200);
    } finally {
      await app.close();
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
