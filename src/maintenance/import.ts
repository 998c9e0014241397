import { createReadStream, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import type { SqlClient } from '../backends/postgres/sql-client.ts';
import type { Limits } from '../config.ts';
import type { StoredTextRecord } from '../domain/evaluation.ts';
import { StrataError } from '../errors.ts';
import type { TextStorage } from '../services/texts/index.ts';
import { insertImported } from './import-sql.ts';
import { parseRecord, RecordError, type ImportRecord, type ImportText } from './parse.ts';
import type { Progress } from './progress.ts';

export interface ImportSummary {
  imported: number;
  alreadyPresent: number;
  /** Lines skipped because an earlier run got past them (see STATE_FILE). */
  resumed: number;
  skipped: { file: string; line: number; reason: string }[];
}

/** How far each file was imported; a rerun starts after it. Records are idempotent, so a line imported twice is harmless. */
export const STATE_FILE = '.strata-import.json';

/**
 * `strata import <dir>`: evaluations.jsonl as `strata export` writes it, or seed 001's old layout
 * (one JSON file per evaluation, anywhere under dir). Each record is parsed and checked, its texts
 * stored (blob first), then the row, events and metrics are written in one transaction: a record
 * is imported whole or not at all. A bad record is reported with its file and line and skipped.
 */
export async function importDir(sql: SqlClient, texts: TextStorage, limits: Limits, dir: string, progress: Progress): Promise<ImportSummary> {
  const summary: ImportSummary = { imported: 0, alreadyPresent: 0, resumed: 0, skipped: [] };
  const statePath = join(dir, STATE_FILE);
  const state: Record<string, number> = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : {};
  const saveState = () => writeFileSync(statePath, JSON.stringify(state));
  const jsonl = join(dir, 'evaluations.jsonl');
  const files = existsSync(jsonl) ? [jsonl] : oldLayoutFiles(dir);
  progress.start(existsSync(jsonl) ? await countLines(jsonl) : files.length);
  for (const path of files) {
    const file = relative(dir, path);
    for await (const { line, text } of existsSync(jsonl) ? lines(path) : whole(path)) {
      progress.increment();
      if (line <= (state[file] ?? 0)) {
        summary.resumed++;
        continue;
      }
      try {
        const record = parseRecord(JSON.parse(text), dir, limits, path === jsonl ? undefined : file.replace(/^.*\//, '').replace(/\.json$/, ''));
        (await importOne(sql, texts, limits, record)) ? summary.imported++ : summary.alreadyPresent++;
      } catch (err) {
        if (!(err instanceof RecordError || err instanceof StrataError || err instanceof SyntaxError)) throw err; // the database, not the record: stop; a rerun resumes
        summary.skipped.push({ file, line, reason: err.message });
      }
      state[file] = line;
      if (line % 100 === 0) saveState();
    }
  }
  saveState();
  progress.stop();
  return summary;
}

async function importOne(sql: SqlClient, texts: TextStorage, limits: Limits, r: ImportRecord): Promise<boolean> {
  const stored: StoredTextRecord[] = [];
  try {
    const output = await storeText(texts, limits, r.id, 'output', r.output, stored);
    const error = await storeText(texts, limits, r.id, 'error', r.error, stored);
    const created = await sql.transaction((tx) => insertImported(tx, r, output, error));
    if (!created) await Promise.all(stored.map((t) => texts.discard(t)));
    return created;
  } catch (err) {
    await Promise.all(stored.map((t) => texts.discard(t)));
    throw err;
  }
}

async function storeText(texts: TextStorage, limits: Limits, id: string, which: 'output' | 'error', t: ImportText | null, stored: StoredTextRecord[]) {
  if (!t) return null;
  if (!('path' in t)) return remember(await texts.route(id, which, t.data), stored);
  if (!existsSync(t.path)) throw new RecordError(`${which}.file ${t.path} does not exist`);
  const record = remember(await texts.routeStream(id, which, createReadStream(t.path), limits.maxUploadBytes), stored);
  if (t.sha256 && record.sha256 !== t.sha256) throw new RecordError(`${which}.file does not match its sha256 (the export is damaged)`);
  return record;
}

const remember = (t: StoredTextRecord, list: StoredTextRecord[]) => (list.push(t), t);

function oldLayoutFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json') && e.name !== STATE_FILE && e.name !== 'metadata.json')
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}

async function* lines(path: string): AsyncGenerator<{ line: number; text: string }> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    line++;
    if (text.trim() !== '') yield { line, text };
  }
}

async function* whole(path: string): AsyncGenerator<{ line: number; text: string }> {
  yield { line: 1, text: readFileSync(path, 'utf8') };
}

async function countLines(path: string): Promise<number> {
  let n = 0;
  for await (const _ of lines(path)) n++;
  return n;
}
