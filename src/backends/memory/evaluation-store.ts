import type { EvaluationRecord, EventRecord, MetricRecord, StoredTextRecord } from '../../domain/evaluation.ts';
import { jsonContains } from '../../domain/json-contains.ts';
import type { EvaluationFilter, EvaluationStore, ListQuery, NewEvent, OrderField } from '../types.ts';
import { memoryStatistics } from './statistics.ts';

/**
 * Everything in process memory: for tests and for trying the API without any database. It follows
 * the same contract as PostgreSQL (the contract suite runs against both), including jsonb
 * containment, keyset order with nulls and compare-and-set updates.
 */
export function createMemoryEvaluationStore(): EvaluationStore {
  const evaluations = new Map<string, EvaluationRecord>();
  const events = new Map<string, EventRecord[]>();
  const metrics = new Map<string, MetricRecord[]>();
  let nextEventId = 1;

  // Records are copied in and out so a caller can never change stored state by mutating a result.
  const copy = (e: EvaluationRecord): EvaluationRecord => ({
    ...structuredClone({ ...e, output: null, error: null }),
    output: copyText(e.output),
    error: copyText(e.error),
  });
  const appendEvent = (evaluationId: string, e: NewEvent): EventRecord => {
    const record: EventRecord = {
      id: String(nextEventId++),
      evaluationId,
      type: e.type,
      timestamp: e.timestamp ?? new Date(),
      message: e.message,
      metadata: structuredClone(e.metadata),
    };
    events.get(evaluationId)!.push(record);
    return record;
  };

  return {
    kind: 'memory',

    async insert(ev, event) {
      const existing = evaluations.get(ev.id);
      if (existing) return { created: false, evaluation: copy(existing) };
      const record: EvaluationRecord = {
        ...structuredClone(ev),
        updatedAt: ev.createdAt,
        startedAt: null,
        completedAt: null,
        runtimeMs: null,
        retries: 0,
        celeryTaskId: null,
        deletedAt: null,
        output: null,
        error: null,
      };
      evaluations.set(ev.id, record);
      events.set(ev.id, []);
      metrics.set(ev.id, []);
      appendEvent(ev.id, { ...event, timestamp: ev.createdAt });
      return { created: true, evaluation: copy(record) };
    },

    async getMany(ids) {
      const found = new Map<string, EvaluationRecord>();
      for (const id of ids) {
        const e = evaluations.get(id);
        if (e) found.set(id, copy(e));
      }
      return found;
    },

    async list(q) {
      const rows = [...evaluations.values()].filter((e) => matches(e, q.filter));
      rows.sort((a, b) => compare(q, sortValue(a, q.field), a.id, sortValue(b, q.field), b.id));
      const after = q.after;
      const start = after ? rows.filter((e) => compare(q, sortValue(e, q.field), e.id, normalize(after.value), after.id) > 0) : rows;
      return start.slice(0, q.limit).map(copy);
    },

    async count(filter) {
      let n = 0;
      for (const e of evaluations.values()) if (matches(e, filter)) n++;
      return n;
    },

    async update(id, expectedStatus, patch, newEvents) {
      const e = evaluations.get(id);
      if (!e || e.status !== expectedStatus) return null;
      const { metadataMerge, output, error, ...rest } = structuredClone({ ...patch, output: undefined, error: undefined });
      if (patch.output) e.output = copyText(patch.output);
      if (patch.error) e.error = copyText(patch.error);
      for (const [k, v] of Object.entries(rest)) if (v !== undefined) (e as unknown as Record<string, unknown>)[k] = v;
      if (metadataMerge) e.metadata = { ...e.metadata, ...metadataMerge };
      e.updatedAt = new Date();
      for (const ev of newEvents) appendEvent(id, ev);
      return copy(e);
    },

    async addEvent(evaluationId, event) {
      if (!evaluations.has(evaluationId)) return null;
      return structuredClone(appendEvent(evaluationId, event));
    },

    async listEvents(ids, q) {
      const result = new Map<string, EventRecord[]>();
      for (const id of ids) {
        const list = (events.get(id) ?? [])
          .filter((e) => (!q.types || q.types.includes(e.type)) && (!q.afterId || Number(e.id) > Number(q.afterId)))
          .slice(0, q.limit);
        if (list.length) result.set(id, structuredClone(list));
      }
      return result;
    },

    async countEvents(ids, types) {
      const result = new Map<string, number>();
      for (const id of ids) {
        const n = (events.get(id) ?? []).filter((e) => !types || types.includes(e.type)).length;
        if (n) result.set(id, n);
      }
      return result;
    },

    async insertMetrics(evaluationId, points) {
      const list = metrics.get(evaluationId);
      if (!list) return null;
      for (const p of points) list.push({ evaluationId, ...structuredClone(p) });
      return points.length;
    },

    async listMetrics(ids, q) {
      const result = new Map<string, MetricRecord[]>();
      for (const id of ids) {
        const selected = (metrics.get(id) ?? []).filter(
          (m) => (!q.names || q.names.includes(m.name)) && (!q.from || m.timestamp >= q.from) && (!q.to || m.timestamp < q.to),
        );
        const byName = new Map<string, MetricRecord[]>();
        for (const m of selected) byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
        const out = [...byName.keys()].sort().flatMap((name) => {
          const series = byName.get(name)!.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
          return q.last === undefined ? series : series.slice(Math.max(0, series.length - q.last));
        });
        if (out.length) result.set(id, structuredClone(out));
      }
      return result;
    },

    statistics: async (range) => memoryStatistics([...evaluations.values()], range),

    async listByTask(taskIds, limitPerTask) {
      const q: ListQuery = { filter: { includeDeleted: false }, field: 'CREATED_AT', direction: 'ASC', nullsFirst: false, limit: limitPerTask };
      const result = new Map<string, EvaluationRecord[]>();
      for (const taskId of taskIds) {
        const list = await this.list({ ...q, filter: { ...q.filter, taskId } });
        if (list.length) result.set(taskId, list);
      }
      return result;
    },

    async status() {
      let n = 0;
      for (const list of events.values()) n += list.length;
      return { name: 'memory', kind: 'memory', role: 'primary', required: true, healthy: true, latencyMs: 0, metrics: { evaluations: evaluations.size, events: n } };
    },

    async close() {
      evaluations.clear();
      events.clear();
      metrics.clear();
    },
  };
}

// structuredClone turns a Buffer into a plain Uint8Array, so stored texts are copied by hand.
function copyText(t: StoredTextRecord | null): StoredTextRecord | null {
  return t && { location: t.location, size: t.size, data: Buffer.from(t.data), sha256: t.sha256 ?? null, blob: t.blob ? structuredClone(t.blob) : null };
}

function matches(e: EvaluationRecord, f: EvaluationFilter): boolean {
  return (
    (f.includeDeleted || e.deletedAt === null) &&
    (!f.status || f.status.includes(e.status)) &&
    (f.language === undefined || e.language === f.language) &&
    (!f.createdAfter || e.createdAt >= f.createdAfter) &&
    (!f.createdBefore || e.createdAt < f.createdBefore) &&
    (!f.metadataContains || jsonContains(e.metadata, f.metadataContains)) &&
    (f.codeHash === undefined || e.codeHash === f.codeHash) &&
    (f.taskId === undefined || e.taskId === f.taskId)
  );
}

function sortValue(e: EvaluationRecord, field: OrderField): number | null {
  if (field === 'CREATED_AT') return e.createdAt.getTime();
  if (field === 'COMPLETED_AT') return e.completedAt?.getTime() ?? null;
  return e.runtimeMs;
}

/** Cursor values arrive as ISO strings for dates and numbers for runtime. */
function normalize(value: string | number | null): number | null {
  return typeof value === 'string' ? new Date(value).getTime() : value;
}

/** Position order of ORDER BY value dir NULLS (FIRST|LAST), id dir; > 0 when a comes after b. */
function compare(q: ListQuery, av: number | null, aid: string, bv: number | null, bid: string): number {
  const sign = q.direction === 'ASC' ? 1 : -1;
  if (av === null || bv === null) {
    if (av === null && bv === null) return sign * cmp(aid, bid);
    const aFirst = av === null ? q.nullsFirst : !q.nullsFirst;
    return aFirst ? -1 : 1;
  }
  return sign * (av !== bv ? av - bv : cmp(aid, bid));
}

// Ids compare by code point, as the id column does in PostgreSQL (COLLATE "C").
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
