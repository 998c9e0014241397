import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { readCsv, type CsvRow } from './csv-read.ts';
import { STATE_FILE_NAME } from './import-state.ts';

/** One record to import, where it came from, and how to read it (parsing may throw: a bad record). */
export interface SourceRecord {
  file: string;
  line: number;
  raw(): unknown;
  /** Seed 001's old layout names the evaluation by its file when the record does not. */
  fallbackId?: string;
}

export interface Source {
  total(): Promise<number>;
  records(): AsyncIterable<SourceRecord>;
}

/** evaluations.jsonl, else evaluations.csv (with events.csv and metrics.csv), else the old layout. */
export function openSource(dir: string): Source {
  if (existsSync(join(dir, 'evaluations.jsonl'))) return jsonlSource(join(dir, 'evaluations.jsonl'));
  if (existsSync(join(dir, 'evaluations.csv'))) return csvSource(dir);
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json') && e.name !== STATE_FILE_NAME && e.name !== 'metadata.json')
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
  return {
    total: async () => files.length,
    async *records() {
      for (const path of files) {
        const file = relative(dir, path);
        yield { file, line: 1, raw: () => JSON.parse(readFileSync(path, 'utf8')), fallbackId: file.replace(/^.*\//, '').replace(/\.json$/, '') };
      }
    },
  };
}

async function* lines(path: string): AsyncGenerator<{ line: number; text: string }> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    line++;
    if (text.trim() !== '') yield { line, text };
  }
}

async function count(rows: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of rows) n++;
  return n;
}

function jsonlSource(path: string): Source {
  return {
    total: () => count(lines(path)),
    async *records() {
      for await (const { line, text } of lines(path)) yield { file: 'evaluations.jsonl', line, raw: () => JSON.parse(text) };
    },
  };
}

/**
 * CSV as `strata export --format csv` writes it: events.csv and metrics.csv list rows in the order
 * of evaluations.csv, so they are merged in one pass, one evaluation's rows in memory at a time.
 */
function csvSource(dir: string): Source {
  const nullable = (v: string | undefined) => (v === undefined || v === '' ? null : v);
  const number = (v: string | undefined) => (nullable(v) === null ? null : Number(v));
  const json = (v: string | undefined) => (nullable(v) === null ? null : JSON.parse(v!));
  return {
    total: () => count(readCsv(join(dir, 'evaluations.csv'))),
    async *records() {
      const events = peekable(existsSync(join(dir, 'events.csv')) ? readCsv(join(dir, 'events.csv')) : null);
      const metrics = peekable(existsSync(join(dir, 'metrics.csv')) ? readCsv(join(dir, 'metrics.csv')) : null);
      for await (const { line, fields: f } of readCsv(join(dir, 'evaluations.csv'))) {
        const evs = await events.takeWhile((r) => r.fields['evaluationId'] === f['id']);
        const ms = await metrics.takeWhile((r) => r.fields['evaluationId'] === f['id']);
        yield {
          file: 'evaluations.csv',
          line,
          raw: () => ({
            ...f,
            runtimeMs: number(f['runtimeMs']),
            retries: number(f['retries']),
            metadata: json(f['metadata']),
            ...Object.fromEntries(['startedAt', 'completedAt', 'deletedAt', 'celeryTaskId', 'taskId'].map((k) => [k, nullable(f[k])])),
            output: f['outputFile'] ? { file: f['outputFile'] } : nullable(f['output']),
            error: f['errorFile'] ? { file: f['errorFile'] } : nullable(f['error']),
            events: evs.map((r) => ({ ...r.fields, message: nullable(r.fields['message']), metadata: json(r.fields['metadata']) })),
            metrics: ms.map((r) => ({ ...r.fields, value: number(r.fields['value']), unit: nullable(r.fields['unit']), step: number(r.fields['step']) })),
          }),
        };
      }
    },
  };
}

function peekable(rows: AsyncGenerator<CsvRow> | null) {
  let next: IteratorResult<CsvRow> | null = null;
  return {
    async takeWhile(match: (row: CsvRow) => boolean): Promise<CsvRow[]> {
      const taken: CsvRow[] = [];
      for (;;) {
        if (!rows) return taken;
        next ??= await rows.next();
        if (next.done || !match(next.value)) return taken;
        taken.push(next.value);
        next = null;
      }
    },
  };
}
