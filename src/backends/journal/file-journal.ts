import { mkdirSync, readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeAtomically } from '../file/atomic-write.ts';

/**
 * The durable fallback journal: JSON lines appended to one file, each fsynced before `append`
 * resolves, so an acknowledged write survives a crash of the gateway. Appends and the replayer's
 * `dropFirst` take turns (one queue), so a replay never removes an entry appended during it.
 */
export interface Journal<T> {
  append(entry: T): Promise<void>;
  /** Every entry not yet replayed, oldest first. */
  entries(): T[];
  readonly size: number;
  /** Removes the first `n` entries (they are in the primary now), atomically. */
  dropFirst(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function openFileJournal<T>(path: string, revive: (raw: unknown) => T, encode: (entry: T) => string = JSON.stringify): Promise<Journal<T>> {
  mkdirSync(dirname(path), { recursive: true });
  const entries: T[] = [];
  try {
    const lines = readFileSync(path, 'utf8').split('\n');
    // A crash during an append can leave a last line cut short: it was never acknowledged.
    for (const line of lines) if (line.trim()) try { entries.push(revive(JSON.parse(line))); } catch { break; }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  let file: FileHandle = await open(path, 'a', 0o640);
  let turn: Promise<unknown> = Promise.resolve();
  const serial = <R>(task: () => Promise<R>): Promise<R> => {
    const next = turn.then(task, task);
    turn = next.catch(() => {});
    return next;
  };

  return {
    append: (entry) =>
      serial(async () => {
        await file.write(`${encode(entry)}\n`);
        await file.sync();
        entries.push(entry);
      }),
    entries: () => [...entries],
    get size() {
      return entries.length;
    },
    dropFirst: (n) =>
      serial(async () => {
        const rest = entries.slice(n);
        await writeAtomically(path, rest.map((e) => Buffer.from(`${encode(e)}\n`)));
        await file.close();
        file = await open(path, 'a', 0o640);
        entries.splice(0, n);
      }),
    close: () => serial(() => file.close()),
  };
}
