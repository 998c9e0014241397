import { Params, type SqlClient } from './sql-client.ts';
import type { AuditRecord, AuditStore } from '../audit-types.ts';

interface AuditRow {
  id: string;
  key_name: string | null;
  operation: string;
  target_ids: string[];
  at: Date | string;
  outcome: string;
  request_id: string;
}

const toRecord = (r: AuditRow): AuditRecord => ({
  id: String(r.id),
  keyName: r.key_name,
  operation: r.operation,
  targetIds: r.target_ids,
  at: new Date(r.at),
  outcome: r.outcome,
  requestId: r.request_id,
});

/** The audit log in the primary database (table audit_log), for `pg` and PGlite alike. */
export function createPostgresAuditStore(sql: SqlClient): AuditStore {
  return {
    async append(records) {
      if (records.length === 0) return;
      // One statement for a whole batch: the rows travel as one jsonb array.
      const rows = records.map((r) => ({ at: r.at.toISOString(), key_name: r.keyName, operation: r.operation, target_ids: r.targetIds, outcome: r.outcome, request_id: r.requestId }));
      await sql.query(
        `INSERT INTO audit_log (at, key_name, operation, target_ids, outcome, request_id)
         SELECT at, key_name, operation, target_ids, outcome, request_id
         FROM jsonb_to_recordset($1::jsonb) AS r(at timestamptz, key_name text, operation text, target_ids text[], outcome text, request_id text)`,
        [JSON.stringify(rows)],
      );
    },

    async list({ filter, beforeId, limit }) {
      const p = new Params();
      const where: string[] = [];
      if (beforeId !== undefined) where.push(`id < ${p.add(beforeId)}::bigint`);
      if (filter.keyName != null) where.push(`key_name = ${p.add(filter.keyName)}`);
      if (filter.operation != null) where.push(`operation = ${p.add(filter.operation)}`);
      if (filter.targetId != null) where.push(`target_ids @> ARRAY[${p.add(filter.targetId)}::text]`);
      if (filter.outcome != null) where.push(`outcome = ${p.add(filter.outcome)}`);
      if (filter.since != null) where.push(`at >= ${p.add(filter.since)}`);
      if (filter.until != null) where.push(`at < ${p.add(filter.until)}`);
      const { rows } = await sql.query<AuditRow>(
        `SELECT id, key_name, operation, target_ids, at, outcome, request_id FROM audit_log
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${p.add(limit)}`,
        p.values,
      );
      return rows.map(toRecord);
    },
  };
}
