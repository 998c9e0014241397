import type { EvaluationStatus } from '../../domain/evaluation.ts';
import type { LogLineRecord, LogSlice } from '../../domain/running.ts';
import type { LogStore } from '../running-types.ts';
import type { SqlClient } from './sql-client.ts';

interface LineRow {
  seq: number;
  timestamp: Date;
  stream: string;
  text: string;
}

/** A read returns one row per line, or one row of nulls for an evaluation with no matching line. */
interface ReadRow extends Omit<LineRow, 'seq'> {
  evaluation_id: string;
  last_seq: number;
  seq: number | null;
}

const toLine = (r: LineRow): LogLineRecord => ({ seq: r.seq, timestamp: new Date(r.timestamp), stream: r.stream, text: r.text });

/** Log lines in PostgreSQL (tables evaluation_logs and evaluation_log_counters), for `pg` and PGlite. */
export function createPostgresLogStore(sql: SqlClient): LogStore {
  return {
    async append(evaluationId, lines) {
      // One statement, so numbering and storing commit together or not at all (no gap). The
      // counter upsert row-locks the evaluation's counter until commit: a concurrent appender waits,
      // then continues from the number this one left (ON CONFLICT DO UPDATE sees the latest row),
      // so no number is given twice. Lines travel as arrays and are numbered by their position.
      const { rows } = await sql.query<LineRow & { status: EvaluationStatus }>(
        `WITH ev AS (SELECT id, status FROM evaluations WHERE id = $1),
         counter AS (
           INSERT INTO evaluation_log_counters AS c (evaluation_id, last_seq)
           SELECT id, $2::int FROM ev
           ON CONFLICT (evaluation_id) DO UPDATE SET last_seq = c.last_seq + $2::int
           RETURNING last_seq - $2::int AS base),
         ins AS (
           INSERT INTO evaluation_logs (evaluation_id, seq, timestamp, stream, text)
           SELECT $1, counter.base + l.ord::int, l.ts, l.stream, l.text
           FROM counter, unnest($3::timestamptz[], $4::text[], $5::text[]) WITH ORDINALITY AS l(ts, stream, text, ord)
           RETURNING seq, timestamp, stream, text)
         SELECT ev.status, ins.seq, ins.timestamp, ins.stream, ins.text FROM ev LEFT JOIN ins ON true ORDER BY ins.seq`,
        [evaluationId, lines.length, lines.map((l) => l.timestamp), lines.map((l) => l.stream), lines.map((l) => l.text)],
      );
      if (rows.length === 0) return null;
      return { lines: rows.filter((r) => r.seq !== null).map(toLine), status: rows[0]!.status };
    },

    async read(evaluationIds, query) {
      const ids = [...new Set(evaluationIds)];
      if (ids.length === 0) return new Map();
      // One statement for any number of evaluations: each id picks its lines through the primary
      // key (evaluation_id, seq), forwards for a page or backwards for a tail.
      const order = query.fromEnd ? 'DESC' : 'ASC';
      const { rows } = await sql.query<ReadRow>(
        `SELECT i.id AS evaluation_id, coalesce(c.last_seq, 0) AS last_seq, l.seq, l.timestamp, l.stream, l.text
         FROM unnest($1::text[]) AS i(id)
         LEFT JOIN evaluation_log_counters c ON c.evaluation_id = i.id
         LEFT JOIN LATERAL (
           SELECT seq, timestamp, stream, text FROM evaluation_logs
           WHERE evaluation_id = i.id AND seq > $2 ORDER BY seq ${order} LIMIT $3) l ON true
         ORDER BY i.id, l.seq`,
        [ids, query.afterSeq, query.limit],
      );
      const result = new Map<string, LogSlice>();
      for (const row of rows) {
        const slice = result.get(row.evaluation_id) ?? { lines: [], lastSeq: row.last_seq };
        result.set(row.evaluation_id, slice);
        if (row.seq !== null) slice.lines.push(toLine({ ...row, seq: row.seq }));
      }
      return result;
    },
  };
}
