import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { BlobStore } from '../../src/backends/blob-types.ts';
import { createMemoryBlobStore } from '../../src/backends/memory/blob-store.ts';
import { safeSlice } from '../../src/domain/text-slice.ts';
import { CHECKPOINT_BYTES } from '../../src/services/texts/digest.ts';
import { createTextStorage } from '../../src/services/texts/index.ts';
import { rejectsWithCode } from '../support/assert.ts';

const options = { inlineThreshold: 10 * 1024, largeFileThreshold: 100 * 1024, previewSize: 1000 };

/** A memory blob store that records the byte ranges it was asked for. */
function recordingStore(): { store: BlobStore; reads: { start: number; end: number }[]; keys: () => Promise<string[]> } {
  const store = createMemoryBlobStore();
  const reads: { start: number; end: number }[] = [];
  const recording: BlobStore = { ...store, read: (key, range) => (reads.push(range ?? { start: 0, end: Infinity }), store.read(key, range)) };
  const keys = async () => {
    const found: string[] = [];
    for await (const b of store.list('evaluations/')) found.push(b.key);
    return found;
  };
  return { store: recording, reads, keys };
}

async function* chunked(data: Buffer, size: number) {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

// Mixed widths: ASCII, 2-byte, 3-byte and 4-byte (surrogate pair) characters.
const mixed = (n: number) => Array.from({ length: n }, (_, i) => ['line ', 'é', '漢', '🚀', '\n'][i % 5]).join('');

describe('text storage: size routing and reads', () => {
  it('keeps small texts inline, gzips mid-sized ones and puts large ones in the blob store', async () => {
    const texts = createTextStorage(createMemoryBlobStore(), options);
    const sizes = { INLINE: 10 * 1024, COMPRESSED: 100 * 1024, FILE: 100 * 1024 + 1 };
    for (const [location, size] of Object.entries(sizes)) {
      const data = Buffer.alloc(size, 'x');
      const record = await texts.route('e1', 'output', data);
      assert.equal(record.location, location);
      assert.equal(record.size, size);
      assert.equal(record.sha256, createHash('sha256').update(data).digest('hex'));
      assert.equal(await texts.preview(record), 'x'.repeat(1000));
      assert.equal(await texts.truncated(record), true);
      assert.equal(await texts.slice(record, size - 3, 10), 'xxx');
    }
    const compressed = await texts.route('e1', 'output', Buffer.alloc(50_000, 'y'));
    assert.ok(compressed.data.length < 1000, `50 KB of one letter gzips to ${compressed.data.length} bytes in the row`);
  });

  it('slices a blob-held multi-byte text exactly like the full text, with bounded range reads', async () => {
    const { store, reads } = recordingStore();
    const texts = createTextStorage(store, options);
    const full = mixed(1_500_000); // about 3.6 MB: several checkpoints
    const record = await texts.route('e1', 'output', Buffer.from(full));
    assert.equal(record.blob!.chars, full.length);
    assert.ok(record.blob!.checkpoints.length >= 4, 'checkpoints every megabyte');
    for (const [offset, length] of [[0, 10], [3, 4], [999_999, 7], [1_234_567, 1000], [full.length - 5, 100], [full.length, 5], [41, 1]]) {
      assert.equal(await texts.slice(record, offset!, length!), safeSlice(full, offset!, offset! + length!), `slice(${offset}, ${length})`);
    }
    const biggest = Math.max(...reads.map((r) => r.end - r.start));
    assert.ok(biggest <= CHECKPOINT_BYTES + 64 * 1024 + 3 * 1000 + 4, `each slice read at most about a checkpoint's worth of bytes (read ${biggest})`);
    assert.equal(await texts.preview(record), safeSlice(full, 0, 1000));
  });

  it('slices a multi-byte blob text shorter than one checkpoint from its start', async () => {
    const texts = createTextStorage(createMemoryBlobStore(), options);
    const full = mixed(100_000);
    const record = await texts.route('e1', 'output', Buffer.from(full));
    assert.deepEqual(record.blob!.checkpoints, []);
    for (const offset of [0, 1, 7, 50_001, full.length - 2]) assert.equal(await texts.slice(record, offset, 9), safeSlice(full, offset, offset + 9));
  });

  it('reads ASCII blob slices at their exact byte offsets', async () => {
    const { store, reads } = recordingStore();
    const texts = createTextStorage(store, options);
    const record = await texts.route('e1', 'error', Buffer.from('0123456789'.repeat(50_000)));
    assert.deepEqual(record.blob!.checkpoints, []);
    assert.equal(await texts.slice(record, 123_456, 5), '67890');
    assert.deepEqual(reads, [{ start: 123_456, end: 123_456 + 5 * 3 + 4 }]);
  });

  it('streams uploads: small ones are routed in memory, large ones straight to the blob store', async () => {
    const { store, keys } = recordingStore();
    const texts = createTextStorage(store, options);
    const small = await texts.routeStream('e1', 'output', chunked(Buffer.from('hello'), 2), 1e9);
    assert.equal(small.location, 'INLINE');
    const big = Buffer.from(mixed(400_000));
    const record = await texts.routeStream('e1', 'output', chunked(big, 16 * 1024), 1e9);
    assert.equal(record.location, 'FILE');
    assert.equal(record.sha256, createHash('sha256').update(big).digest('hex'));
    assert.equal((await keys()).length, 1);
  });

  it('refuses invalid UTF-8 and uploads over the limit, leaving no blob behind', async () => {
    const { store, keys } = recordingStore();
    const texts = createTextStorage(store, options);
    const bad = Buffer.concat([Buffer.alloc(300_000, 'a'), Buffer.from([0xff, 0xfe]), Buffer.alloc(10, 'b')]);
    await rejectsWithCode(texts.routeStream('e1', 'output', chunked(bad, 64 * 1024), 1e9), 'BAD_USER_INPUT');
    await rejectsWithCode(texts.routeStream('e1', 'output', chunked(Buffer.from([0x61, 0xe6, 0xbc]), 1), 1e9), 'BAD_USER_INPUT');
    await rejectsWithCode(texts.routeStream('e1', 'output', chunked(Buffer.alloc(500_000, 'a'), 64 * 1024), 400_000), 'PAYLOAD_TOO_LARGE', { limit: 400_000 });
    await rejectsWithCode(texts.route('../x', 'output', Buffer.alloc(200_000, 'a')), 'BAD_USER_INPUT');
    assert.deepEqual(await keys(), []);
  });
});
