import { performance } from 'node:perf_hooks';
import type { EvaluationRecord, EventRecord, MetricRecord } from '../../domain/evaluation.ts';
import type {
  BackendStatus,
  EvaluationFilter,
  EvaluationPatch,
  EvaluationStore,
  EventQuery,
  ListQuery,
  MetricQuery,
  NewEvaluation,
  NewEvent,
  NewMetric,
  StatisticsRecord,
} from '../types.ts';
import { filterConditions, insertEventsCte, keysetCondition, orderBy, setClause, whereClause } from './evaluation-sql.ts';
import {
  EVALUATION_COLUMNS,
  EVENT_COLUMNS,
  groupBy,
  toEvaluation,
  toEvent,
  toMetric,
  type EvaluationRow,
  type EventRow,
  type MetricRow,
} from './rows.ts';
import { Params, type SqlClient } from './sql-client.ts';
import { statistics } from './statistics.ts';

const FOREIGN_KEY_VIOLATION = '23503';

function isMissingParent(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === FOREIGN_KEY_VIOLATION;
}

/** Evaluations, events and metrics in PostgreSQL: one implementation for `pg` and PGlite. */
export function createPostgresEvaluationStore(sql: SqlClient): EvaluationStore {
  // Statements that only read: a replica may answer them (read-routing.ts), writes stay on `sql`.
  const reads = sql.reads ?? sql;
  return {
    kind: sql.kind,

    async insert(ev: NewEvaluation, event: NewEvent) {
      const p = new Params();
      const values = [ev.id, ev.code, ev.codeHash, ev.language, ev.status, JSON.stringify(ev.metadata), ev.taskId, ev.createdAt].map((v) => p.add(v));
      // One statement: the row and its `created` event are written together or not at all, and
      // an existing id is left untouched (ON CONFLICT DO NOTHING returns no row).
      const inserted = await sql.query<EvaluationRow>(
        `WITH ins AS (
           INSERT INTO evaluations (id, code, code_hash, language, status, metadata, task_id, created_at, updated_at)
           VALUES (${values.join(', ')}, ${values[7]})
           ON CONFLICT (id) DO NOTHING RETURNING *),
         ev AS (${insertEventsCte('ins', [{ ...event, timestamp: ev.createdAt }], p)})
         SELECT ${EVALUATION_COLUMNS} FROM ins`,
        p.values,
      );
      if (inserted.rows[0]) return { created: true, evaluation: toEvaluation(inserted.rows[0]) };
      const existing = await this.getMany([ev.id]);
      return { created: false, evaluation: existing.get(ev.id)! };
    },

    async getMany(ids) {
      if (ids.length === 0) return new Map();
      const { rows } = await reads.query<EvaluationRow>(`SELECT ${EVALUATION_COLUMNS} FROM evaluations WHERE id = ANY($1::text[])`, [ids]);
      return new Map(rows.map((r) => [r.id, toEvaluation(r)]));
    },

    async list(q: ListQuery) {
      const p = new Params();
      const conditions = filterConditions(q.filter, p);
      const keyset = keysetCondition(q, p);
      if (keyset) conditions.push(keyset);
      const { rows } = await reads.query<EvaluationRow>(
        `SELECT ${EVALUATION_COLUMNS} FROM evaluations ${whereClause(conditions)} ${orderBy(q)} LIMIT ${p.add(q.limit)}`,
        p.values,
      );
      return rows.map(toEvaluation);
    },

    async count(filter: EvaluationFilter) {
      const p = new Params();
      const { rows } = await reads.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM evaluations ${whereClause(filterConditions(filter, p))}`,
        p.values,
      );
      return rows[0]!.n;
    },

    async update(id, expectedStatus, patch: EvaluationPatch, events) {
      const p = new Params();
      const set = setClause(patch, p);
      const eventsCte = events.length ? `, ev AS (${insertEventsCte('upd', events, p)})` : '';
      const { rows } = await sql.query<EvaluationRow>(
        `WITH upd AS (
           UPDATE evaluations SET ${set} WHERE id = ${p.add(id)} AND status = ${p.add(expectedStatus)} RETURNING *)
         ${eventsCte}
         SELECT ${EVALUATION_COLUMNS} FROM upd`,
        p.values,
      );
      return rows[0] ? toEvaluation(rows[0]) : null;
    },

    async addEvent(evaluationId, event) {
      // The row lock orders this insert after any other write to the evaluation (updates take the
      // same lock), so one evaluation's event ids commit in increasing order: a reader that saw
      // event N can never later find a new event below N. Subscriptions resume from an event
      // cursor on that promise.
      const { rows } = await sql.query<EventRow>(
        `INSERT INTO evaluation_events (evaluation_id, type, message, metadata)
         SELECT id, $2, $3, $4::jsonb FROM (SELECT id FROM evaluations WHERE id = $1 FOR NO KEY UPDATE) e
         RETURNING ${EVENT_COLUMNS}`,
        [evaluationId, event.type, event.message, JSON.stringify(event.metadata)],
      );
      return rows[0] ? toEvent(rows[0]) : null;
    },

    async listEvents(ids, q: EventQuery) {
      const p = new Params();
      const where = ['e.evaluation_id = k.key'];
      if (q.types) where.push(`e.type = ANY(${p.add(q.types)}::text[])`);
      if (q.afterId) where.push(`e.id > ${p.add(q.afterId)}::bigint`);
      // One LATERAL probe of (evaluation_id, id) per evaluation reads only the rows of the page,
      // however long each timeline is.
      const { rows } = await reads.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM unnest(${p.add(ids)}::text[]) AS k(key)
         CROSS JOIN LATERAL (
           SELECT e.* FROM evaluation_events e WHERE ${where.join(' AND ')} ORDER BY e.id LIMIT ${p.add(q.limit)}) x`,
        p.values,
      );
      return groupBy<EventRecord>(rows.map(toEvent), (e) => e.evaluationId);
    },

    async countEvents(ids, types) {
      const p = new Params();
      const where = [`evaluation_id = ANY(${p.add(ids)}::text[])`];
      if (types) where.push(`type = ANY(${p.add(types)}::text[])`);
      const { rows } = await reads.query<{ evaluation_id: string; n: number }>(
        `SELECT evaluation_id, count(*)::int AS n FROM evaluation_events WHERE ${where.join(' AND ')} GROUP BY evaluation_id`,
        p.values,
      );
      return new Map(rows.map((r) => [r.evaluation_id, r.n]));
    },

    async insertMetrics(evaluationId, points: readonly NewMetric[]) {
      try {
        // One statement for any number of points: each column travels as one array parameter.
        const result = await sql.query(
          `INSERT INTO evaluation_metrics (evaluation_id, name, value, unit, step, timestamp)
           SELECT $1, * FROM unnest($2::text[], $3::float8[], $4::text[], $5::int[], $6::timestamptz[])`,
          [
            evaluationId,
            points.map((m) => m.name),
            points.map((m) => m.value),
            points.map((m) => m.unit),
            points.map((m) => m.step),
            points.map((m) => m.timestamp),
          ],
        );
        return result.rowCount;
      } catch (err) {
        if (isMissingParent(err)) return null;
        throw err;
      }
    },

    async listMetrics(ids, q: MetricQuery) {
      const p = new Params();
      const where = [`evaluation_id = ANY(${p.add(ids)}::text[])`];
      if (q.names) where.push(`name = ANY(${p.add(q.names)}::text[])`);
      if (q.from) where.push(`timestamp >= ${p.add(q.from)}`);
      if (q.to) where.push(`timestamp < ${p.add(q.to)}`);
      const columns = 'evaluation_id, name, value, unit, step, timestamp';
      const inner =
        q.last === undefined
          ? `SELECT m.*, 0 AS rn FROM evaluation_metrics m WHERE ${where.join(' AND ')}`
          : `SELECT m.*, row_number() OVER (PARTITION BY evaluation_id, name ORDER BY timestamp DESC, id DESC) AS rn
             FROM evaluation_metrics m WHERE ${where.join(' AND ')}`;
      const limit = q.last === undefined ? '' : `WHERE rn <= ${p.add(q.last)}`;
      const { rows } = await reads.query<MetricRow>(
        `SELECT ${columns} FROM (${inner}) x ${limit} ORDER BY evaluation_id, name, timestamp, id`,
        p.values,
      );
      return groupBy<MetricRecord>(rows.map(toMetric), (m) => m.evaluationId);
    },

    statistics: (range): Promise<StatisticsRecord> => statistics(reads, range),

    async listByTask(taskIds, limitPerTask) {
      const { rows } = await reads.query<EvaluationRow>(
        `SELECT ${EVALUATION_COLUMNS} FROM (
           SELECT e.*, row_number() OVER (PARTITION BY task_id ORDER BY created_at, id) AS rn
           FROM evaluations e WHERE task_id = ANY($1::text[]) AND deleted_at IS NULL) x
         WHERE rn <= $2 ORDER BY task_id, created_at, id`,
        [taskIds, limitPerTask],
      );
      return groupBy(rows.map(toEvaluation), (e) => e.taskId!);
    },

    async status(): Promise<BackendStatus> {
      const started = performance.now();
      try {
        const { rows } = await sql.query<Record<string, number>>(
          `SELECT (SELECT count(*) FROM evaluations)::int AS evaluations,
                  (SELECT count(*) FROM evaluation_events)::int AS events,
                  (SELECT count(*) FROM evaluation_metrics)::int AS metrics,
                  (pg_total_relation_size('evaluations') + pg_total_relation_size('evaluation_events')
                   + pg_total_relation_size('evaluation_metrics'))::float8 AS size_bytes`,
        );
        return { name: sql.kind, kind: sql.kind, role: 'primary', required: true, healthy: true, latencyMs: performance.now() - started, metrics: rows[0] ?? {} };
      } catch (err) {
        return { name: sql.kind, kind: sql.kind, role: 'primary', required: true, healthy: false, latencyMs: null, metrics: {}, error: String(err) };
      }
    },

    close: () => sql.close(),
  };
}

export type { EvaluationRecord };
