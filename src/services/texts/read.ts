import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { BlobStore, ByteRange } from '../../backends/blob-types.ts';
import type { BlobRef, StoredTextRecord } from '../../domain/evaluation.ts';
import { safeSlice } from '../../domain/text-slice.ts';
import { BackendError } from '../../errors.ts';

const gunzipAsync = promisify(gunzip);

/**
 * Reads texts wherever they are. Row-held texts (INLINE, COMPRESSED) are at most
 * LARGE_FILE_THRESHOLD bytes and are read whole; blob-held ones never are: the preview comes from
 * the row, and a slice is one bounded range read found through the row's checkpoints.
 */
export function createTextReader(blobs: BlobStore, previewSize: number) {
  function blobOf(record: StoredTextRecord): BlobRef {
    if (!record.blob) throw new BackendError(blobs.kind, `a ${record.location} text has no blob reference`);
    if (record.location !== blobs.location) {
      throw new BackendError(blobs.kind, `the text is in ${record.location} but BLOB_BACKEND keeps texts in ${blobs.location}; move the blobs or set BLOB_BACKEND back`);
    }
    return record.blob;
  }

  /** The UTF-8 bytes of a row-held text. */
  async function rowBytes(record: StoredTextRecord): Promise<Buffer> {
    return record.location === 'COMPRESSED' ? gunzipAsync(record.data) : record.data;
  }

  async function preview(record: StoredTextRecord): Promise<string> {
    if (record.blob) return record.data.toString('utf8');
    return safeSlice((await rowBytes(record)).toString('utf8'), 0, previewSize);
  }

  async function truncated(record: StoredTextRecord): Promise<boolean> {
    if (record.blob) return record.data.toString('utf8').length < record.blob.chars;
    const full = (await rowBytes(record)).toString('utf8');
    return safeSlice(full, 0, previewSize).length < full.length;
  }

  /** Characters [offset, offset + length), cut as `safeSlice` cuts the full text. */
  async function slice(record: StoredTextRecord, offset: number, length: number): Promise<string> {
    if (!record.blob) return safeSlice((await rowBytes(record)).toString('utf8'), offset, offset + length);
    const blob = blobOf(record);
    const endChar = Math.min(blob.chars, offset + length);
    if (offset >= endChar) return '';
    let [byte, char] = [offset, offset]; // ASCII: byte and character offsets agree
    if (blob.chars !== record.size) {
      [byte, char] = [0, 0];
      for (let i = 0; i < blob.checkpoints.length && blob.checkpoints[i + 1]! <= offset; i += 2) {
        [byte, char] = [blob.checkpoints[i]!, blob.checkpoints[i + 1]!];
      }
    }
    // A UTF-16 code unit takes at most 3 bytes, and the first checkpoint at or past endChar bounds
    // the end too; 4 more bytes show whether the cut splits a surrogate pair.
    let end = Math.min(record.size, byte + (endChar - char) * 3 + 4);
    for (let i = 0; i < blob.checkpoints.length; i += 2) {
      if (blob.checkpoints[i + 1]! >= endChar) {
        end = Math.min(end, blob.checkpoints[i]! + 4);
        break;
      }
    }
    const window = (await collect(await blobs.read(blob.key, { start: byte, end }))).toString('utf8');
    return safeSlice(window, offset - char, endChar - char);
  }

  /** The text's UTF-8 bytes, or the bytes of `range`, as a stream. */
  async function open(record: StoredTextRecord, range?: ByteRange): Promise<Readable> {
    if (record.blob) return blobs.read(blobOf(record).key, range);
    const bytes = await rowBytes(record);
    return Readable.from([range ? bytes.subarray(range.start, range.end) : bytes]);
  }

  /** The stored gzip bytes of a COMPRESSED text, served without recompressing. */
  function gzipped(record: StoredTextRecord): Buffer | null {
    return record.location === 'COMPRESSED' ? record.data : null;
  }

  return { preview, truncated, slice, open, gzipped };
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export type TextReader = ReturnType<typeof createTextReader>;
