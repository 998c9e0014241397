import type { EvaluationRecord, EventRecord, MetricRecord } from '../domain/evaluation.ts';

/**
 * The export format, one JSON object per evaluation (evaluations.jsonl), read back by `strata
 * import`. A text held in the row is inline (`text`); a blob-held one is a file beside it
 * (`file`, relative to the export directory) with its size and sha256, so neither export nor
 * import ever holds a large output in memory.
 */
export type ExportedText = { text: string } | { file: string; size: number; sha256: string | null };

export interface ExportedEvaluation {
  id: string;
  code: string;
  language: string;
  status: string;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  runtimeMs: number | null;
  metadata: Record<string, unknown>;
  retries: number;
  celeryTaskId: string | null;
  taskId: string | null;
  deletedAt: string | null;
  output: ExportedText | null;
  error: ExportedText | null;
  events: { type: string; timestamp: string; message: string | null; metadata: Record<string, unknown> }[];
  metrics: { name: string; value: number; unit: string | null; step: number | null; timestamp: string }[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toExported(e: EvaluationRecord, events: EventRecord[], metrics: MetricRecord[], output: ExportedText | null, error: ExportedText | null): ExportedEvaluation {
  return {
    id: e.id,
    code: e.code,
    language: e.language,
    status: e.status,
    createdAt: e.createdAt.toISOString(),
    startedAt: iso(e.startedAt),
    completedAt: iso(e.completedAt),
    runtimeMs: e.runtimeMs,
    metadata: e.metadata,
    retries: e.retries,
    celeryTaskId: e.celeryTaskId,
    taskId: e.taskId,
    deletedAt: iso(e.deletedAt),
    output,
    error,
    events: events.map((ev) => ({ type: ev.type, timestamp: ev.timestamp.toISOString(), message: ev.message, metadata: ev.metadata })),
    metrics: metrics.map((m) => ({ name: m.name, value: m.value, unit: m.unit, step: m.step, timestamp: m.timestamp.toISOString() })),
  };
}
