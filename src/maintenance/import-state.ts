import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How far each file was imported; a rerun starts after it. Records are idempotent, so a line imported twice is harmless. */
export const STATE_FILE_NAME = '.strata-import.json';

export function importState(dir: string) {
  const path = join(dir, STATE_FILE_NAME);
  const done: Record<string, number> = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  return {
    isDone: (file: string, line: number) => line <= (done[file] ?? 0),
    mark: (file: string, line: number) => void (done[file] = line),
    save: () => writeFileSync(path, JSON.stringify(done)),
  };
}
