import { createReadStream, existsSync } from 'node:fs';
import type { SqlClient } from '../backends/postgres/sql-client.ts';
import type { Limits } from '../config.ts';
import type { StoredTextRecord } from '../domain/evaluation.ts';
import { StrataError } from '../errors.ts';
import type { TextStorage } from '../services/texts/index.ts';
import { openSource } from './import-sources.ts';
import { insertImported } from './import-sql.ts';
import type { AuditWritten } from './audit.ts';
import { importState, STATE_FILE_NAME } from './import-state.ts';
import { parseRecord, RecordError, type ImportRecord, type ImportText } from './parse.ts';
import type { Progress } from './progress.ts';

export interface ImportSummary {
  imported: number;
  alreadyPresent: number;
  /** Lines skipped because an earlier run got past them (see STATE_FILE). */
  resumed: number;
  skipped: { file: string; line: number; reason: string }[];
}

/** The file that records how far an import got (in the import directory). */
export const STATE_FILE = STATE_FILE_NAME;

/**
 * `strata import <dir>`: evaluations.jsonl or evaluations.csv as `strata export` writes them, or
 * seed 001's old layout (one JSON file per evaluation, anywhere under dir). Each record is parsed
 * and checked, its texts stored (blob first), then the row, events and metrics are written in one
 * transaction: a record is imported whole or not at all. A bad record is reported with its file
 * and line and skipped; a database failure stops the import, and a rerun resumes after the last
 * record done.
 *
 * `audit` gets the ids imported since the last save of the state, before the state is saved (and
 * when the import stops on a failure): a rerun finds those already present and does not import,
 * or audit, them again. Only a kill between a commit and the next save loses records (at most 100).
 */
export async function importDir(sql: SqlClient, texts: TextStorage, limits: Limits, dir: string, progress: Progress, audit: AuditWritten = async () => {}): Promise<ImportSummary> {
  const summary: ImportSummary = { imported: 0, alreadyPresent: 0, resumed: 0, skipped: [] };
  const state = importState(dir);
  const source = openSource(dir);
  const imported: string[] = [];
  const save = async () => {
    await audit(imported);
    imported.length = 0;
    state.save();
  };
  progress.start(await source.total());
  let sinceSave = 0;
  try {
    for await (const record of source.records()) {
      progress.increment();
      if (state.isDone(record.file, record.line)) {
        summary.resumed++;
        continue;
      }
      try {
        const parsed = parseRecord(record.raw(), dir, limits, record.fallbackId);
        if (await importOne(sql, texts, limits, parsed)) {
          summary.imported++;
          imported.push(parsed.id);
        } else summary.alreadyPresent++;
      } catch (err) {
        if (!(err instanceof RecordError || err instanceof StrataError || err instanceof SyntaxError)) throw err; // the database, not the record
        summary.skipped.push({ file: record.file, line: record.line, reason: err.message });
      }
      state.mark(record.file, record.line);
      if (++sinceSave % 100 === 0) await save();
    }
  } catch (err) {
    await audit(imported).catch(() => {}); // the database that failed may take it yet
    throw err;
  }
  await save();
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
