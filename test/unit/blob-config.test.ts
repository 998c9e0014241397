import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';

describe('configuration of size routing, blobs and failover', () => {
  it('defaults: 10 KB inline, 100 KB to blobs, file blobs under DATA_DIR, a journal under DATA_DIR', () => {
    const c = loadConfig({ DATA_DIR: '/var/lib/strata/' });
    assert.deepEqual(
      { inline: c.blobs.inlineThreshold, large: c.blobs.largeFileThreshold, backend: c.blobs.backend, path: c.blobs.filePath, s3: c.blobs.s3 },
      { inline: 10_240, large: 102_400, backend: 'file', path: '/var/lib/strata/files', s3: null },
    );
    assert.deepEqual(c.blobs.fallback, { journalPath: '/var/lib/strata/journal/evaluations.jsonl', replayIntervalMs: 1000 });
    assert.equal(c.limits.maxUploadBytes, 1024 ** 3);
    assert.equal(c.limits.idempotencyTtlSeconds, 86_400);
    assert.equal(loadConfig({ STORAGE_BACKEND: 'memory' }).blobs.backend, 'memory', 'nothing is kept without a database, blobs neither');
  });

  it('reads S3 settings, path-style by default with an endpoint', () => {
    const c = loadConfig({ BLOB_BACKEND: 's3', S3_BUCKET: 'strata-outputs', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY_ID: 'a', S3_SECRET_ACCESS_KEY: 'b' });
    assert.deepEqual(c.blobs.s3, { bucket: 'strata-outputs', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, forcePathStyle: true });
  });

  it('stops on a bad value with one line naming the variable', () => {
    assert.throws(() => loadConfig({ BLOB_BACKEND: 's3' }), /BLOB_BACKEND=s3 needs S3_BUCKET/);
    assert.throws(() => loadConfig({ S3_BUCKET: 'Bad_Bucket' }), /^StartupError: Invalid S3_BUCKET="Bad_Bucket"/);
    assert.throws(() => loadConfig({ S3_ACCESS_KEY_ID: 'a' }), /Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/);
    assert.throws(() => loadConfig({ INLINE_THRESHOLD: '200000' }), /Invalid INLINE_THRESHOLD=200000: must not exceed LARGE_FILE_THRESHOLD/);
    assert.throws(() => loadConfig({ BLOB_BACKEND: 'ftp' }), /^StartupError: Invalid BLOB_BACKEND="ftp"/);
    assert.throws(() => loadConfig({ MAX_UPLOAD_BYTES: '-1' }), /^StartupError: Invalid MAX_UPLOAD_BYTES/);
    assert.throws(() => loadConfig({ REPLAY_INTERVAL_MS: '1' }), /^StartupError: Invalid REPLAY_INTERVAL_MS/);
  });
});
