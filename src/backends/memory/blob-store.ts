import { Readable } from 'node:stream';
import { checkBlobKey, checkBlobPrefix } from '../../domain/blob-keys.ts';
import { BlobNotFoundError, type BlobStat, type BlobStore } from '../blob-types.ts';

/** Blobs in process memory, for tests. Same contract as file and S3 (test/contract/blob-store.ts). */
export function createMemoryBlobStore(): BlobStore {
  const blobs = new Map<string, { data: Buffer; modifiedAt: Date }>();
  const stat = (key: string): BlobStat | null => {
    const b = blobs.get(key);
    return b ? { key, size: b.data.length, modifiedAt: b.modifiedAt } : null;
  };

  return {
    kind: 'memory',
    location: 'FILE',

    async put(key, body) {
      checkBlobKey(key);
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(Buffer.from(chunk));
      // Set only after the body ended: a failing body leaves nothing, as the durable backends do.
      const data = Buffer.concat(chunks);
      blobs.set(key, { data, modifiedAt: new Date() });
      return { size: data.length };
    },

    async read(key, range) {
      checkBlobKey(key);
      const b = blobs.get(key);
      if (!b) throw new BlobNotFoundError('memory', key);
      const bytes = range ? b.data.subarray(range.start, Math.min(range.end, b.data.length)) : b.data;
      return Readable.from([Buffer.from(bytes)]);
    },

    stat: async (key) => stat(checkBlobKey(key) && key),

    async delete(key) {
      checkBlobKey(key);
      return blobs.delete(key);
    },

    async *list(prefix) {
      checkBlobPrefix(prefix);
      for (const key of [...blobs.keys()]) if (key.startsWith(prefix)) yield stat(key)!;
    },

    async status() {
      let bytes = 0;
      for (const b of blobs.values()) bytes += b.data.length;
      return { name: 'memory', kind: 'memory', role: 'blobs', required: true, healthy: true, latencyMs: 0, metrics: { files: blobs.size, bytes } };
    },

    async close() {
      blobs.clear();
    },
  };
}
