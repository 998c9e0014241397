import { randomUUID } from 'node:crypto';
import type { EvaluationStatus } from '../../domain/evaluation.ts';
import type { EvaluationPatch, NewEvaluation, NewEvent, NewMetric } from '../types.ts';

/**
 * One journaled write. `key` is its idempotency key: replay records it in idempotency_keys in the
 * same transaction as the write, so an entry is applied once however often replay runs.
 */
export type JournalEntry = { key: string; at: Date } & (
  | { op: 'create'; evaluation: NewEvaluation; event: NewEvent }
  | { op: 'update'; id: string; expectedStatus: EvaluationStatus; patch: EvaluationPatch; events: NewEvent[] }
  | { op: 'event'; id: string; event: NewEvent }
  | { op: 'metrics'; id: string; points: NewMetric[] }
);

type Body = JournalEntry extends infer E ? (E extends unknown ? Omit<E, 'key' | 'at'> : never) : never;

export function entry(body: Body): JournalEntry {
  return { ...body, key: randomUUID(), at: new Date() } as JournalEntry;
}

/** The evaluation an entry writes to. */
export const entryId = (e: JournalEntry): string => (e.op === 'create' ? e.evaluation.id : e.id);

// JSON has no dates or bytes: they travel as {"$date": iso} and {"$bytes": base64}.
export function encodeEntry(e: JournalEntry): string {
  return JSON.stringify(e, function (this: Record<string, unknown>, k, v) {
    const raw = this[k];
    if (raw instanceof Date) return { $date: raw.toISOString() };
    if (Buffer.isBuffer(raw)) return { $bytes: raw.toString('base64') };
    return v;
  });
}

export function decodeEntry(raw: unknown): JournalEntry {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (typeof o['$date'] === 'string' && Object.keys(o).length === 1) return new Date(o['$date']);
    if (typeof o['$bytes'] === 'string' && Object.keys(o).length === 1) return Buffer.from(o['$bytes'], 'base64');
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
  };
  return walk(raw) as JournalEntry;
}
