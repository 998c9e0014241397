import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TextKind } from '../../domain/blob-keys.ts';
import { writeAtomically } from './atomic-write.ts';

/**
 * evaluations/<id>/metadata.json: what the directory holds, for recovery without the database
 * (seed 004: "File storage includes metadata.json for recovery"). It lists every text blob with its
 * kind, size, sha256 and time; it is rewritten atomically after each put and delete.
 */
export interface EvaluationMetadata {
  evaluationId: string;
  blobs: Record<string, { which: TextKind; size: number; sha256: string; storedAt: string }>;
}

export const METADATA_FILE = 'metadata.json';

// Puts and deletes in one directory take turns in this process, so no update is lost.
const queues = new Map<string, Promise<unknown>>();

function serialized<T>(dir: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(dir) ?? Promise.resolve();
  const next = previous.then(task, task);
  queues.set(dir, next);
  const forget = () => void (queues.get(dir) === next && queues.delete(dir));
  next.then(forget, forget);
  return next;
}

export async function readMetadata(dir: string, evaluationId: string): Promise<EvaluationMetadata> {
  try {
    return JSON.parse(await readFile(join(dir, METADATA_FILE), 'utf8')) as EvaluationMetadata;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { evaluationId, blobs: {} };
    throw err;
  }
}

/** Applies `change` to the directory's metadata; removes the file when no blob is left. */
export function updateMetadata(dir: string, evaluationId: string, change: (m: EvaluationMetadata) => void): Promise<void> {
  return serialized(dir, async () => {
    const metadata = await readMetadata(dir, evaluationId);
    change(metadata);
    const path = join(dir, METADATA_FILE);
    if (Object.keys(metadata.blobs).length === 0) return void (await rm(path, { force: true }));
    await writeAtomically(path, [Buffer.from(JSON.stringify(metadata, null, 2))]);
  });
}
