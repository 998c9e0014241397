import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { CreateEvaluationDocument, SetOutputDocument, TextOfDocument } from '../generated/graphql.ts';
import { createTestApp, type BackendName, type TestApp } from '../support/app.ts';
import { postgresUnavailable } from '../support/postgres.ts';
import { blobConfigFor, mixedText, type BlobBackendName } from '../support/texts.ts';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const combos: [BackendName, BlobBackendName][] = [['memory', 'memory'], ['pglite', 'file'], ['postgres', 's3']];
const skipPostgres = await postgresUnavailable();

for (const [backend, blobBackend] of combos) {
  describe(`output and error by size over GraphQL and HTTP (${backend} rows, ${blobBackend} blobs)`, { skip: backend === 'postgres' && !!skipPostgres }, () => {
    let app: TestApp;
    let closeBlobs: () => Promise<void>;
    const large = mixedText(120_000); // about 290 KB
    const blobLocation = blobBackend === 's3' ? 'S3' : 'FILE';
    before(async () => {
      const { blobs, close } = await blobConfigFor(blobBackend);
      closeBlobs = close;
      app = await createTestApp(backend, { blobs, publicUrl: 'http://strata.test' });
      await app.gql(CreateEvaluationDocument, { input: { id: 'e1', code: 'print(1)' } });
    });
    after(async () => {
      await app.close();
      await closeBlobs();
    });

    it('stores small output inline, mid-sized compressed and large in the blob store, with the same API', async () => {
      for (const [text, location] of [['x'.repeat(10 * 1024), 'INLINE'], ['y'.repeat(50 * 1024), 'COMPRESSED'], [large, blobLocation]] as const) {
        const set = await app.gql(SetOutputDocument, { id: 'e1', output: text });
        assert.equal(set.body.errors, undefined);
        const out = set.body.data!.updateEvaluation.output!;
        assert.deepEqual([out.location, out.size, out.sha256], [location, Buffer.byteLength(text), sha(text)]);
        assert.equal(out.preview, text.slice(0, 1000));
        assert.equal(out.truncated, true);
        const slice = await app.gql(TextOfDocument, { id: 'e1', offset: 99_998, length: 7 });
        assert.equal(slice.body.data!.evaluation!.output!.text, text.slice(99_998, 100_005));
        const download = await app.yoga.fetch('http://yoga/evaluations/e1/output');
        assert.equal(download.headers.get('content-length'), String(Buffer.byteLength(text)));
        assert.equal(download.headers.get('etag'), `"${sha(text)}"`);
        assert.equal(sha(Buffer.from(await download.arrayBuffer())), sha(text), `${location}: the download has every byte`);
      }
    });

    it('answers Range requests with 206, Content-Range and Content-Length, and 416 when unsatisfiable', async () => {
      await app.gql(SetOutputDocument, { id: 'e1', output: large });
      const bytes = Buffer.from(large);
      const get = (range: string) => app.yoga.fetch('http://yoga/evaluations/e1/output', { headers: { range } });
      const cases: [string, number, number][] = [['bytes=0-9', 0, 10], ['bytes=100000-100099', 100_000, 100_100], ['bytes=-5', bytes.length - 5, bytes.length], [`bytes=${bytes.length - 3}-`, bytes.length - 3, bytes.length]];
      for (const [range, start, end] of cases) {
        const res = await get(range);
        assert.equal(res.status, 206, range);
        assert.equal(res.headers.get('content-range'), `bytes ${start}-${end - 1}/${bytes.length}`);
        assert.equal(res.headers.get('content-length'), String(end - start));
        assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes.subarray(start, end));
      }
      const beyond = await get(`bytes=${bytes.length}-`);
      assert.equal(beyond.status, 416);
      assert.equal(beyond.headers.get('content-range'), `bytes */${bytes.length}`);
      assert.equal((await get('bytes=0-1,5-6')).status, 200, 'several ranges: the whole text');
      assert.equal((await get('items=0-5')).status, 200, 'another unit: the whole text');
    });

    it('sends gzip to clients that accept it, the stored bytes as they are for COMPRESSED texts', async () => {
      for (const text of ['z'.repeat(50 * 1024), large]) {
        await app.gql(SetOutputDocument, { id: 'e1', output: text });
        const res = await app.yoga.fetch('http://yoga/evaluations/e1/output', { headers: { 'accept-encoding': 'br;q=1, gzip;q=0.8' } });
        assert.equal(res.headers.get('content-encoding'), 'gzip');
        assert.equal(res.headers.get('vary'), 'accept-encoding');
        const body = Buffer.from(await res.arrayBuffer());
        assert.equal(gunzipSync(body).toString('utf8'), text);
        if (text.length === 50 * 1024) assert.equal(res.headers.get('content-length'), String(body.length));
      }
      const refused = await app.yoga.fetch('http://yoga/evaluations/e1/output', { headers: { 'accept-encoding': 'gzip;q=0' } });
      assert.equal(refused.headers.get('content-encoding'), null);
      assert.equal((await refused.arrayBuffer()).byteLength, Buffer.byteLength(large));
      const head = await app.yoga.fetch('http://yoga/evaluations/e1/output', { method: 'HEAD' });
      assert.equal(head.headers.get('content-length'), String(Buffer.byteLength(large)));
      assert.equal((await head.arrayBuffer()).byteLength, 0);
    });
  });
}
