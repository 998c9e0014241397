import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temporary files start with this; listings skip them and the sweep removes stale ones. */
export const TEMP_PREFIX = '.tmp-';

/**
 * Writes `body` to `path` so that `path` either keeps its old state or has every new byte:
 * a temporary file in the same directory, fsync, rename over the target, fsync the directory (so
 * the rename itself survives a power loss). A failing body removes the temporary file.
 * Writes go one chunk at a time, awaiting each: the body is pulled only as fast as the disk takes it.
 */
export async function writeAtomically(path: string, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<{ size: number; sha256: string }> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `${TEMP_PREFIX}${basename(path)}.${randomBytes(6).toString('hex')}`);
  const file = await open(temp, 'wx', 0o640);
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of body) {
      hash.update(chunk);
      size += chunk.byteLength;
      await file.write(chunk);
    }
    await file.sync();
  } catch (err) {
    await file.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw err;
  }
  await file.close();
  try {
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
  await syncDirectory(dir);
  return { size, sha256: hash.digest('hex') };
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
