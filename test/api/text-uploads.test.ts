import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CreateEvaluationDocument, TextOfDocument } from '../generated/graphql.ts';
import { createTestApp, type BackendName, type TestApp } from '../support/app.ts';
import { API_KEYS_ENV, bearer, KEYS } from '../support/keys.ts';
import { blobConfigFor, mixedText, streamOf, type BlobBackendName } from '../support/texts.ts';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

for (const [backend, blobBackend] of [['memory', 'file'], ['pglite', 's3']] as [BackendName, BlobBackendName][]) {
  describe(`PUT /evaluations/{id}/output streams uploads (${backend} rows, ${blobBackend} blobs)`, () => {
    let app: TestApp;
    let closeBlobs: () => Promise<void>;
    let filePath = '';
    before(async () => {
      const { blobs, close } = await blobConfigFor(blobBackend);
      filePath = blobs.filePath;
      closeBlobs = close;
      const base = (await import('../../src/config.ts')).testConfig().limits;
      app = await createTestApp(backend, { blobs, limits: { ...base, maxUploadBytes: 4 * 1024 * 1024 } });
      await app.gql(CreateEvaluationDocument, { input: { id: 'up', code: 'x' } });
    });
    after(async () => {
      await app.close();
      await closeBlobs();
    });

    const put = (path: string, body: Buffer | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
      app.yoga.fetch(`http://yoga${path}`, { method: 'PUT', body, headers, duplex: 'half' } as RequestInit);
    const blobCount = async () => {
      let n = 0;
      for await (const _ of app.registry.blobs.list('evaluations/')) n++;
      return n;
    };

    it('stores a streamed upload by size and reads it back byte for byte', async () => {
      const big = Buffer.from(mixedText(1_200_000)); // about 2.9 MB in 64 KB chunks
      const res = await put('/evaluations/up/output', streamOf(big));
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.deepEqual(body, { id: 'up', which: 'output', location: blobBackend === 's3' ? 'S3' : 'FILE', size: big.length, sha256: sha(big), downloadUrl: 'http://localhost:4000/evaluations/up/output' });
      const download = await app.yoga.fetch('http://yoga/evaluations/up/output');
      assert.equal(sha(Buffer.from(await download.arrayBuffer())), sha(big));
      const slice = await app.gql(TextOfDocument, { id: 'up', offset: 1_000_000, length: 5 });
      assert.equal(slice.body.data!.evaluation!.output!.text, big.toString('utf8').slice(1_000_000, 1_000_005));
      const small = await put('/evaluations/up/error', Buffer.from('Traceback: boom'));
      assert.equal((await small.json()).location, 'INLINE');
      assert.equal(await (await app.yoga.fetch('http://yoga/evaluations/up/error')).text(), 'Traceback: boom');
    });

    it('takes an Idempotency-Key: the same bytes again get the first answer and write nothing, other bytes are a CONFLICT', async () => {
      const data = Buffer.from(mixedText(200_000));
      const first = await put('/evaluations/up/error', streamOf(data), { 'idempotency-key': 'upload-1' });
      const body = await first.json();
      const blobs = await blobCount();
      const retries = await Promise.all([1, 2, 3].map(() => put('/evaluations/up/error', streamOf(data), { 'idempotency-key': 'upload-1' })));
      for (const retry of retries) {
        assert.equal(retry.headers.get('idempotency-replayed'), 'true');
        assert.deepEqual(await retry.json(), body);
      }
      assert.equal(await blobCount(), blobs, 'one effect');
      const other = await put('/evaluations/up/error', streamOf(Buffer.from('other bytes')), { 'idempotency-key': 'upload-1' });
      assert.equal(other.status, 409);
      const elsewhere = await put('/evaluations/up/output', streamOf(data), { 'idempotency-key': 'upload-1' });
      assert.equal(elsewhere.status, 409, 'a key belongs to one target');
    });

    it('refuses what it must without writing a blob: unknown evaluation, too large, invalid UTF-8, hostile ids', async () => {
      const before = await blobCount();
      const cases: [string, Buffer | ReadableStream<Uint8Array>, number, string, Record<string, string>?][] = [
        ['/evaluations/missing/output', Buffer.alloc(300_000, 'a'), 404, 'NOT_FOUND'],
        ['/evaluations/up/output', streamOf(Buffer.alloc(5 * 1024 * 1024, 'a')), 413, 'PAYLOAD_TOO_LARGE'],
        ['/evaluations/up/output', Buffer.alloc(5 * 1024 * 1024, 'a'), 413, 'PAYLOAD_TOO_LARGE', { 'content-length': String(5 * 1024 * 1024) }],
        ['/evaluations/up/output', streamOf(Buffer.concat([Buffer.alloc(300_000, 'a'), Buffer.from([0xc3, 0x28])])), 400, 'BAD_USER_INPUT'],
        ['/evaluations/..%2F..%2Fetc/output', Buffer.from('x'), 400, 'BAD_USER_INPUT'],
        ['/evaluations/a%00b/output', Buffer.from('x'), 400, 'BAD_USER_INPUT'],
        ['/evaluations/%E0%A4%A/output', Buffer.from('x'), 400, 'BAD_USER_INPUT'],
      ];
      for (const [path, body, status, code, headers] of cases) {
        const res = await put(path, body, headers);
        assert.equal(res.status, status, `${path}: ${status}`);
        assert.equal((await res.json()).errors[0].extensions.code, code);
      }
      assert.equal(await blobCount(), before, 'no blob was left by a refused upload');
      // The URL parser folds an encoded ".." segment away: the request never reaches the route.
      assert.equal((await put('/evaluations/%2E%2E/output', Buffer.from('x'))).status, 404);
      if (blobBackend === 'file') assert.deepEqual(readdirSync(filePath), ['evaluations'], 'nothing but the layout under the root');
    });
  });
}

describe('PUT /evaluations/{id}/output and /error are audited like mutations', () => {
  let app: TestApp;
  const LOG = 'query($op: String) { auditLog(first: 20, filter: { operation: $op }) { edges { node { keyName operation targetIds outcome requestId } } } }';
  const audited = async (op: string) => {
    const res = await app.gql(LOG, { op }, bearer(KEYS.admin));
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    return (res.body.data as any).auditLog.edges.map((e: { node: unknown }) => e.node);
  };
  const put = (path: string, body: string, headers: Record<string, string> = {}) =>
    app.yoga.fetch(`http://yoga${path}`, { method: 'PUT', body, headers: { ...bearer(KEYS.write), ...headers } });
  before(async () => {
    app = await createTestApp('memory', {}, undefined, { STRATA_API_KEYS: API_KEYS_ENV, RATE_LIMIT_PER_SECOND: '0' });
    await app.gql(CreateEvaluationDocument, { input: { id: 'aud', code: 'x' } }, bearer(KEYS.write));
  });
  after(() => app.close());

  it('records key, route, id, outcome and request id for each upload that writes or fails; a replayed retry adds none', async () => {
    assert.equal((await put('/evaluations/aud/output', 'all of it', { 'x-request-id': 'up-1', 'idempotency-key': 'aud-1' })).status, 200);
    assert.equal((await put('/evaluations/aud/output', 'all of it', { 'x-request-id': 'up-2', 'idempotency-key': 'aud-1' })).headers.get('idempotency-replayed'), 'true');
    assert.equal((await put('/evaluations/missing/output', 'x', { 'x-request-id': 'up-3' })).status, 404);
    assert.equal((await put('/evaluations/a%00b/output', 'x', { 'x-request-id': 'up-4' })).status, 400);
    assert.equal((await put('/evaluations/aud/error', 'boom', { 'x-request-id': 'up-5' })).status, 200);
    assert.deepEqual(await audited('PUT /evaluations/{id}/output'), [
      { keyName: 'ci', operation: 'PUT /evaluations/{id}/output', targetIds: [], outcome: 'BAD_USER_INPUT', requestId: 'up-4' },
      { keyName: 'ci', operation: 'PUT /evaluations/{id}/output', targetIds: ['missing'], outcome: 'NOT_FOUND', requestId: 'up-3' },
      { keyName: 'ci', operation: 'PUT /evaluations/{id}/output', targetIds: ['aud'], outcome: 'ok', requestId: 'up-1' },
    ]);
    assert.deepEqual(await audited('PUT /evaluations/{id}/error'), [{ keyName: 'ci', operation: 'PUT /evaluations/{id}/error', targetIds: ['aud'], outcome: 'ok', requestId: 'up-5' }]);
  });
});
