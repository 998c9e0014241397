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

const TAGS = new Set(['$date', '$bytes', '$obj']);
const tagged = (o: object) => Object.keys(o).length === 1 && TAGS.has(Object.keys(o)[0]!);

// JSON has no dates or bytes: they travel as {"$date": iso} and {"$bytes": base64}. A user's object
// that looks like a tag (metadata may hold anything) is wrapped as {"$obj": ...}, so it stays itself.
function toJson(v: unknown): unknown {
  if (v instanceof Date) return { $date: v.toISOString() };
  if (Buffer.isBuffer(v)) return { $bytes: v.toString('base64') };
  if (Array.isArray(v)) return v.map(toJson);
  if (v === null || typeof v !== 'object') return v;
  const o = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, toJson(x)]));
  return tagged(v) ? { $obj: o } : o;
}

function fromJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromJson);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const walk = (x: object) => Object.fromEntries(Object.entries(x).map(([k, y]) => [k, fromJson(y)]));
  if (tagged(o) && typeof o['$date'] === 'string') return new Date(o['$date']);
  if (tagged(o) && typeof o['$bytes'] === 'string') return Buffer.from(o['$bytes'], 'base64');
  if (tagged(o) && o['$obj'] && typeof o['$obj'] === 'object') return walk(o['$obj']);
  return walk(o);
}

export const encodeEntry = (e: JournalEntry): string => JSON.stringify(toJson(e));
export const decodeEntry = (raw: unknown): JournalEntry => fromJson(raw) as JournalEntry;

/** Blob keys the journal's updates name: cleanup must not take them for orphans before replay. */
export function journaledBlobKeys(entries: readonly JournalEntry[]): Set<string> {
  const keys = new Set<string>();
  for (const e of entries) {
    if (e.op !== 'update') continue;
    for (const text of [e.patch.output, e.patch.error]) if (text?.blob) keys.add(text.blob.key);
  }
  return keys;
}
