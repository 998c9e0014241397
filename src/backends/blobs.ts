import { createFileBlobStore } from './file/blob-store.ts';
import { createMemoryBlobStore } from './memory/blob-store.ts';
import type { OpenContext } from './registry.ts';
import { createS3BlobStore } from './s3/blob-store.ts';
import type { BlobStore } from './blob-types.ts';

/**
 * Opens BLOB_BACKEND: `file` under FILE_STORAGE_PATH (default DATA_DIR/files), `s3` (S3_BUCKET and
 * friends), or `memory`. It reports itself as role "blobs" and closes with the registry.
 */
export function openBlobStore(ctx: OpenContext): BlobStore {
  const { blobs } = ctx.config;
  const store =
    blobs.backend === 'memory'
      ? createMemoryBlobStore()
      : blobs.backend === 's3'
        ? createS3BlobStore(blobs.s3!)
        : createFileBlobStore({ root: blobs.filePath });
  ctx.onClose(() => store.close());
  ctx.reportStatus(() => store.status());
  return store;
}
