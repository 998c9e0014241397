import { createReadStream } from 'node:fs';
import { mkdir, readdir, rmdir, stat, unlink } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { BLOB_PREFIX, checkBlobKey, checkBlobPrefix } from '../../domain/blob-keys.ts';
import { BadUserInputError } from '../../errors.ts';
import { BlobNotFoundError, type BlobStat, type BlobStore } from '../blob-types.ts';
import { TEMP_PREFIX, writeAtomically } from './atomic-write.ts';
import { METADATA_FILE, updateMetadata } from './metadata.ts';

export interface FileBlobOptions {
  /** Root directory; created if missing. @default DATA_DIR/files (FILE_STORAGE_PATH) */
  root: string;
}

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** Blobs as files under the root, laid out by evaluation id (see src/domain/blob-keys.ts). */
export function createFileBlobStore(options: FileBlobOptions): BlobStore & { sweepTemporary(olderThan: Date): Promise<number> } {
  const root = resolve(options.root);

  // The key was validated by checkBlobKey; resolving and checking containment again means a bug
  // there still cannot reach outside the root.
  const pathOf = (key: string) => {
    checkBlobKey(key);
    const path = resolve(root, ...key.split('/'));
    if (!path.startsWith(root + sep)) throw new BadUserInputError(`Blob key ${JSON.stringify(key)} leaves the storage root.`, { field: 'key' });
    return path;
  };
  const dirOf = (evaluationId: string) => join(root, 'evaluations', evaluationId);

  async function* walk(prefix: string): AsyncGenerator<BlobStat> {
    const ids = prefix === BLOB_PREFIX ? await readdir(join(root, 'evaluations')).catch(() => []) : [prefix.slice(BLOB_PREFIX.length, -1)];
    for (const id of ids) {
      const names = await readdir(dirOf(id)).catch(() => []);
      for (const name of names) {
        if (name === METADATA_FILE || name.startsWith(TEMP_PREFIX)) continue;
        const s = await stat(join(dirOf(id), name)).catch(() => null);
        if (s?.isFile()) yield { key: `${BLOB_PREFIX}${id}/${name}`, size: s.size, modifiedAt: s.mtime };
      }
    }
  }

  return {
    kind: 'file',
    location: 'FILE',

    async put(key, body, meta) {
      const path = pathOf(key);
      const { name, evaluationId } = checkBlobKey(key);
      const written = await writeAtomically(path, body);
      const storedAt = new Date().toISOString();
      await updateMetadata(dirOf(evaluationId), evaluationId, (m) => void (m.blobs[name] = { which: meta.which, size: written.size, sha256: written.sha256, storedAt }));
      return { size: written.size };
    },

    async read(key, range) {
      const path = pathOf(key);
      const s = await stat(path).catch((err: unknown) => {
        throw isMissing(err) ? new BlobNotFoundError('file', key, { cause: err }) : err;
      });
      const start = range?.start ?? 0;
      const end = Math.min(range?.end ?? s.size, s.size);
      if (end <= start) return Readable.from([]);
      return createReadStream(path, { start, end: end - 1, highWaterMark: 256 * 1024 });
    },

    async stat(key) {
      const s = await stat(pathOf(key)).catch((err: unknown) => (isMissing(err) ? null : Promise.reject(err)));
      return s && { key, size: s.size, modifiedAt: s.mtime };
    },

    async delete(key) {
      const path = pathOf(key);
      const { name, evaluationId } = checkBlobKey(key);
      const existed = await unlink(path).then(() => true, (err: unknown) => (isMissing(err) ? false : Promise.reject(err)));
      await updateMetadata(dirOf(evaluationId), evaluationId, (m) => void delete m.blobs[name]);
      await rmdir(dirOf(evaluationId)).catch(() => {}); // only succeeds once the directory is empty
      return existed;
    },

    list: (prefix) => walk(checkBlobPrefix(prefix)),

    /** Removes temporary files a crash left behind (a write in progress is younger than `olderThan`). */
    async sweepTemporary(olderThan) {
      let removed = 0;
      for (const id of await readdir(join(root, 'evaluations')).catch(() => [])) {
        for (const name of await readdir(dirOf(id)).catch(() => [])) {
          if (!name.startsWith(TEMP_PREFIX)) continue;
          const path = join(dirOf(id), name);
          const s = await stat(path).catch(() => null);
          if (s && s.mtime < olderThan && (await unlink(path).then(() => true, () => false))) removed++;
        }
      }
      return removed;
    },

    async status() {
      const started = performance.now();
      try {
        await mkdir(root, { recursive: true });
        let files = 0;
        let bytes = 0;
        for await (const b of walk(BLOB_PREFIX)) {
          files++;
          bytes += b.size;
        }
        return { name: 'file', kind: 'file', role: 'blobs', required: true, healthy: true, latencyMs: performance.now() - started, metrics: { files, bytes, root } };
      } catch (err) {
        return { name: 'file', kind: 'file', role: 'blobs', required: true, healthy: false, latencyMs: null, metrics: { root }, error: String(err) };
      }
    },

    close: async () => {},
  };
}
