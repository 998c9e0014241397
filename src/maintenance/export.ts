import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { EvaluationStore, ListQuery } from '../backends/types.ts';
import type { StoredTextRecord } from '../domain/evaluation.ts';
import type { TextStorage } from '../services/texts/index.ts';
import { CsvWriter } from './csv.ts';
import type { Progress } from './progress.ts';
import { toExported, type ExportedEvaluation, type ExportedText } from './records.ts';

export type ExportFormat = 'jsonl' | 'csv';
const PAGE = 500;
const ALL = 2 ** 31 - 1;

/**
 * `strata export <dir>`: every evaluation (soft-deleted ones too) with its events and metrics, in
 * pages of 500 read through the EvaluationStore, oldest first. `jsonl`: evaluations.jsonl (the
 * format `strata import` reads). `csv`: evaluations.csv, events.csv and metrics.csv, buffered.
 * Blob-held texts are streamed to texts/<id>/<output|error>.txt in both formats.
 */
export async function exportAll(store: EvaluationStore, texts: TextStorage, dir: string, format: ExportFormat, progress: Progress): Promise<number> {
  mkdirSync(dir, { recursive: true });
  const sink = format === 'jsonl' ? jsonlSink(dir) : csvSink(dir);
  progress.start(await store.count({ includeDeleted: true }));
  let after: ListQuery['after'];
  let exported = 0;
  for (;;) {
    const page = await store.list({ filter: { includeDeleted: true }, field: 'CREATED_AT', direction: 'ASC', nullsFirst: false, after, limit: PAGE });
    if (page.length === 0) break;
    const ids = page.map((e) => e.id);
    const [events, metrics] = await Promise.all([store.listEvents(ids, { limit: ALL }), store.listMetrics(ids, {})]);
    for (const e of page) {
      const output = await exportText(texts, dir, e.id, 'output', e.output);
      const error = await exportText(texts, dir, e.id, 'error', e.error);
      await sink.write(toExported(e, events.get(e.id) ?? [], metrics.get(e.id) ?? [], output, error));
    }
    exported += page.length;
    progress.increment(page.length);
    const last = page.at(-1)!;
    after = { value: last.createdAt.toISOString(), id: last.id };
  }
  await sink.close();
  progress.stop();
  return exported;
}

async function exportText(texts: TextStorage, dir: string, id: string, which: 'output' | 'error', record: StoredTextRecord | null): Promise<ExportedText | null> {
  if (!record) return null;
  if (!record.blob) return { text: await texts.slice(record, 0, ALL) };
  const file = `texts/${id}/${which}.txt`; // id is validated: it cannot climb out of dir
  mkdirSync(join(dir, 'texts', id), { recursive: true });
  await pipeline(await texts.open(record), createWriteStream(join(dir, file)));
  return { file, size: record.size, sha256: record.sha256 ?? null };
}

interface Sink {
  write(e: ExportedEvaluation): Promise<void>;
  close(): Promise<void>;
}

function jsonlSink(dir: string): Sink {
  const out = createWriteStream(join(dir, 'evaluations.jsonl'));
  return {
    async write(e) {
      if (!out.write(`${JSON.stringify(e)}\n`)) await once(out, 'drain');
    },
    async close() {
      out.end();
      await once(out, 'finish');
    },
  };
}

function csvSink(dir: string): Sink {
  const evaluations = new CsvWriter(join(dir, 'evaluations.csv'), ['id', 'code', 'language', 'status', 'createdAt', 'startedAt', 'completedAt', 'runtimeMs', 'metadata', 'retries', 'celeryTaskId', 'taskId', 'deletedAt', 'output', 'outputFile', 'error', 'errorFile']);
  const events = new CsvWriter(join(dir, 'events.csv'), ['evaluationId', 'type', 'timestamp', 'message', 'metadata']);
  const metrics = new CsvWriter(join(dir, 'metrics.csv'), ['evaluationId', 'name', 'value', 'unit', 'step', 'timestamp']);
  const text = (t: ExportedText | null) => (t && 'text' in t ? t.text : null);
  const file = (t: ExportedText | null) => (t && 'file' in t ? t.file : null);
  return {
    async write(e) {
      await evaluations.write({ ...e, output: text(e.output), outputFile: file(e.output), error: text(e.error), errorFile: file(e.error) });
      for (const ev of e.events) await events.write({ evaluationId: e.id, ...ev });
      for (const m of e.metrics) await metrics.write({ evaluationId: e.id, ...m });
    },
    close: async () => void (await Promise.all([evaluations.close(), events.close(), metrics.close()])),
  };
}
