import type { Readable } from 'node:stream';
import type { TextKind } from '../domain/blob-keys.ts';
import type { BackendStatus } from './types.ts';

/** A blob as listed or stat-ed. */
export interface BlobStat {
  key: string;
  size: number;
  modifiedAt: Date;
}

/** What a put knows before the bytes arrive; the file backend records it in metadata.json. */
export interface BlobMeta {
  evaluationId: string;
  which: TextKind;
}

/** Bytes [start, end) of a blob. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where large texts live (issue 4): `file` (FILE_STORAGE_PATH), `s3`, or `memory` for tests. One
 * contract suite (test/contract/blob-store.ts) runs against all three.
 *
 * Keys are checked by every method (src/domain/blob-keys.ts): a key that is not one Strata builds
 * is a BAD_USER_INPUT error, and nothing is read or written.
 */
export interface BlobStore {
  readonly kind: 'file' | 's3' | 'memory';
  /** The StorageLocation texts kept here report: S3 for s3, FILE for file (and memory, which stands in for it). */
  readonly location: 'FILE' | 'S3';
  /**
   * Writes the whole body under `key`, streaming: the body is never held in memory whole. The key
   * shows the new bytes only once all of them are durable; a body that fails or is cut off leaves
   * nothing under the key (and no temporary file behind). Returns the bytes written.
   */
  put(key: string, body: AsyncIterable<Uint8Array>, meta: BlobMeta): Promise<{ size: number }>;
  /** Streams the blob, or the bytes of `range`. A missing blob is a BlobNotFoundError. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Size and time of a blob, or null when there is none. */
  stat(key: string): Promise<BlobStat | null>;
  /** Removes a blob; true when there was one. */
  delete(key: string): Promise<boolean>;
  /** Every blob whose key starts with `prefix` ("evaluations/" or evaluationPrefix(id)), in no set order. */
  list(prefix: string): AsyncIterable<BlobStat>;
  /** Role "blobs", with counts and bytes. */
  status(): Promise<BackendStatus>;
  close(): Promise<void>;
}

/** A blob a row refers to is gone: the row was not written by Strata's put-then-commit order, or the store lost data. */
export class BlobNotFoundError extends Error {
  constructor(backend: string, key: string, options?: { cause?: unknown }) {
    super(`[${backend}] blob ${key} does not exist`, options);
    this.name = 'BlobNotFoundError';
  }
}
