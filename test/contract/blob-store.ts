import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BlobNotFoundError, type BlobStore } from '../../src/backends/blob-types.ts';
import { textBlobKey } from '../../src/domain/blob-keys.ts';
import { rejectsWithCode } from '../support/assert.ts';

export interface BlobHandle {
  store: BlobStore;
  close(): Promise<void>;
}

async function text(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}

async function* once(data: Buffer): AsyncGenerator<Uint8Array> {
  yield data;
}

async function* chunks(count: number, size: number, fill = (i: number) => 97 + (i % 26)): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < count; i++) yield Buffer.alloc(size, fill(i));
}

async function keys(store: BlobStore, prefix = 'evaluations/'): Promise<string[]> {
  const found: string[] = [];
  for await (const b of store.list(prefix)) found.push(b.key);
  return found.sort();
}

export const HOSTILE_KEYS = [
  '../outside.txt',
  'evaluations/../../outside/output.abcdefgh.txt',
  'evaluations/..%2F..%2Fetc/output.abcdefgh.txt',
  'evaluations/a/../../../etc/output.abcdefgh.txt',
  '/etc/passwd',
  'evaluations/e1/output.abcdefgh.txt\u0000.sh',
  'evaluations/e1\\..\\..\\x/output.abcdefgh.txt',
  'evaluations/../output.abcdefgh.txt',
  'evaluations/e1/../../escape.txt',
  'evaluations/e1/output.txt/../../../x',
];

/**
 * The BlobStore contract: memory, file and S3 (an emulator) all run it (test/backends/blob-*.test.ts).
 */
export function blobStoreContract(name: string, factory: () => Promise<BlobHandle>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let handle: BlobHandle;
    let store: BlobStore;
    beforeEach(async () => {
      handle = await factory();
      store = handle.store;
    });
    afterEach(() => handle.close());

    it('writes, reads whole and by byte range, stats, lists and deletes', async () => {
      const key = textBlobKey('eval-1', 'output');
      assert.match(key, /^evaluations\/eval-1\/output\.[a-z0-9]+\.txt$/);
      const body = 'héllo wörld, 漢字 and 🚀';
      const written = await store.put(key, once(Buffer.from(body)), { evaluationId: 'eval-1', which: 'output' });
      assert.equal(written.size, Buffer.byteLength(body));
      assert.equal(await text(await store.read(key)), body);
      assert.equal(await text(await store.read(key, { start: 0, end: 5 })), 'héll', 'bytes [0, 5): h, é (2 bytes), l, l');
      assert.equal(await text(await store.read(key, { start: 7, end: 12 })), 'wörl', 'a range in the middle');
      assert.equal(await text(await store.read(key, { start: 1000, end: 2000 })), '', 'a range past the end is empty');
      assert.equal((await store.stat(key))!.size, Buffer.byteLength(body));
      assert.deepEqual(await keys(store), [key]);
      assert.equal(await store.delete(key), true);
      assert.equal(await store.delete(key), false);
      assert.equal(await store.stat(key), null);
      await assert.rejects(store.read(key), BlobNotFoundError);
      assert.deepEqual(await keys(store), []);
    });

    it('streams a multi-megabyte body and returns the same bytes (sha256)', async () => {
      const key = textBlobKey('big', 'output');
      const expected = createHash('sha256');
      for await (const c of chunks(96, 128 * 1024)) expected.update(c);
      const { size } = await store.put(key, chunks(96, 128 * 1024), { evaluationId: 'big', which: 'output' });
      assert.equal(size, 96 * 128 * 1024);
      const actual = createHash('sha256');
      for await (const c of await store.read(key)) actual.update(c);
      assert.equal(actual.digest('hex'), expected.digest('hex'));
      const slice = await text(await store.read(key, { start: 128 * 1024 - 2, end: 128 * 1024 + 2 }));
      assert.equal(slice, 'aabb', 'a range across two chunks');
    });

    it('leaves nothing under the key when the body fails half way', async () => {
      const key = textBlobKey('broken', 'output');
      async function* failing() {
        yield* chunks(8, 1024 * 1024);
        throw new Error('client went away');
      }
      await assert.rejects(store.put(key, failing(), { evaluationId: 'broken', which: 'output' }), /client went away/);
      assert.equal(await store.stat(key), null);
      assert.deepEqual(await keys(store), []);
    });

    it('lists one evaluation or all of them', async () => {
      const a1 = textBlobKey('a', 'output');
      const a2 = textBlobKey('a', 'error');
      const b1 = textBlobKey('b', 'output');
      for (const [key, id] of [[a1, 'a'], [a2, 'a'], [b1, 'b']] as const) await store.put(key, chunks(1, 10), { evaluationId: id, which: 'output' });
      assert.deepEqual(await keys(store, 'evaluations/a/'), [a1, a2].sort());
      assert.deepEqual(await keys(store), [a1, a2, b1].sort());
      const status = await store.status();
      assert.equal(status.role, 'blobs');
      assert.equal(status.healthy, true);
      assert.equal(status.metrics['files'] ?? status.metrics['objects'], 3);
      assert.equal(status.metrics['bytes'], 30);
    });

    it('refuses keys and prefixes that are not its own with BAD_USER_INPUT, writing nothing', async () => {
      for (const key of HOSTILE_KEYS) {
        await rejectsWithCode(store.put(key, chunks(1, 10), { evaluationId: 'e1', which: 'output' }), 'BAD_USER_INPUT');
        await rejectsWithCode(store.read(key), 'BAD_USER_INPUT');
        await rejectsWithCode(store.stat(key), 'BAD_USER_INPUT');
        await rejectsWithCode(store.delete(key), 'BAD_USER_INPUT');
      }
      for (const prefix of ['', '../', 'evaluations/../', 'evaluations/a/../../', 'evaluations/..']) {
        await rejectsWithCode(keys(store, prefix), 'BAD_USER_INPUT');
      }
      assert.deepEqual(await keys(store), []);
    });
  });
}
