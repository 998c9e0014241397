import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { BlobStore } from '../../backends/blob-types.ts';
import { textBlobKey, type TextKind } from '../../domain/blob-keys.ts';
import type { StoredTextRecord } from '../../domain/evaluation.ts';
import { BackendError, PayloadTooLargeError } from '../../errors.ts';
import { TextDigest } from './digest.ts';

const gzipAsync = promisify(gzip);

export interface RoutingOptions {
  /** @default 10240 (INLINE_THRESHOLD) */
  inlineThreshold: number;
  /** @default 102400 (LARGE_FILE_THRESHOLD) */
  largeFileThreshold: number;
  /** @default 1000 (PREVIEW_SIZE) */
  previewSize: number;
}

/**
 * Routes a text by size: INLINE, COMPRESSED (gzip in the row: clients that accept gzip get these
 * bytes as they are), or the blob store. A blob is complete before the caller writes the row that
 * names it; if the row is never written, the blob is an orphan that `strata cleanup` removes.
 */
export function createTextWriter(blobs: BlobStore, o: RoutingOptions) {
  async function toBlob(evaluationId: string, which: TextKind, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<StoredTextRecord> {
    const digest = new TextDigest(which, o.previewSize);
    let summary: ReturnType<TextDigest['finish']> | null = null;
    // Digest errors (invalid UTF-8) are raised inside the body, so the store abandons the write.
    const observed = (async function* () {
      for await (const chunk of body) {
        digest.update(chunk);
        yield chunk;
      }
      summary = digest.finish();
    })();
    const key = textBlobKey(evaluationId, which);
    const { size } = await blobs.put(key, observed, { evaluationId, which });
    const s = summary as ReturnType<TextDigest['finish']> | null;
    if (!s || s.size !== size) throw new BackendError(blobs.kind, `wrote ${size} bytes to ${key}, expected ${s?.size}`);
    return { location: blobs.location, size, data: Buffer.from(s.preview, 'utf8'), sha256: s.sha256, blob: { key, chars: s.chars, checkpoints: s.checkpoints } };
  }

  async function route(evaluationId: string, which: TextKind, data: Buffer): Promise<StoredTextRecord> {
    if (data.length > o.largeFileThreshold) return toBlob(evaluationId, which, slices(data, 64 * 1024));
    const digest = new TextDigest(which, o.previewSize);
    digest.update(data);
    const { sha256 } = digest.finish();
    if (data.length <= o.inlineThreshold) return { location: 'INLINE', size: data.length, data, sha256, blob: null };
    return { location: 'COMPRESSED', size: data.length, data: await gzipAsync(data), sha256, blob: null };
  }

  /**
   * A streamed upload: holds at most LARGE_FILE_THRESHOLD + 1 bytes to decide, then streams the
   * rest straight into the blob store, so memory stays flat whatever the size.
   */
  async function routeStream(evaluationId: string, which: TextKind, body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<StoredTextRecord> {
    const source = limited(body, maxBytes, which)[Symbol.asyncIterator]();
    const head: Uint8Array[] = [];
    let held = 0;
    while (held <= o.largeFileThreshold) {
      const next = await source.next();
      if (next.done) return route(evaluationId, which, Buffer.concat(head));
      head.push(next.value);
      held += next.value.byteLength;
    }
    return toBlob(evaluationId, which, (async function* () {
      yield* head.splice(0);
      for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
    })());
  }

  /** Removes the blob of a text whose row was never written (best effort: cleanup catches the rest). */
  async function discard(record: StoredTextRecord | null | undefined): Promise<void> {
    if (record?.blob) await blobs.delete(record.blob.key).catch(() => {});
  }

  return { route, routeStream, discard };
}

// Views, not copies: a text routed from memory is fed in chunks so checkpoints fall along it.
function* slices(data: Buffer, size: number): Generator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function* limited(body: AsyncIterable<Uint8Array>, maxBytes: number, field: string): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new PayloadTooLargeError(field, maxBytes, 'MAX_UPLOAD_BYTES');
    yield chunk;
  }
}

export type TextWriter = ReturnType<typeof createTextWriter>;
