import type { JsonObject } from '../../domain/evaluation.ts';
import type { RunningRecord } from '../../domain/running.ts';
import type { RunningStore } from '../running-types.ts';
import type { SqlClient } from './sql-client.ts';

const COLUMNS = 'evaluation_id, container_id, host, info, started_at, heartbeat_at, version';

interface RunningRow {
  evaluation_id: string;
  container_id: string | null;
  host: string | null;
  info: JsonObject;
  started_at: Date;
  heartbeat_at: Date;
  version: number;
}

function toRecord(r: RunningRow): RunningRecord {
  return {
    evaluationId: r.evaluation_id,
    containerId: r.container_id,
    host: r.host,
    info: r.info,
    startedAt: new Date(r.started_at),
    heartbeatAt: new Date(r.heartbeat_at),
    version: r.version,
  };
}

/** Running records in PostgreSQL (table evaluation_running): one implementation for `pg` and PGlite. */
export function createPostgresRunningStore(sql: SqlClient): RunningStore {
  return {
    async upsert(evaluationId, update) {
      // One statement. FOR SHARE holds the evaluation row until this commits, so a concurrent
      // status change waits for it (and its after-commit cleanup then removes this row), or has
      // already committed, in which case the re-checked row no longer matches and nothing is written.
      // The heartbeat never moves backwards, whatever the order in which reports arrive.
      const { rows } = await sql.query<RunningRow>(
        `INSERT INTO evaluation_running AS r (evaluation_id, container_id, host, info, started_at, heartbeat_at)
         SELECT id, $2::text, $3::text, coalesce($4::jsonb, '{}'), $5::timestamptz, $5::timestamptz FROM evaluations
         WHERE id = $1 AND status = 'RUNNING' FOR SHARE
         ON CONFLICT (evaluation_id) DO UPDATE SET
           container_id = coalesce($2::text, r.container_id),
           host = coalesce($3::text, r.host),
           info = coalesce($4::jsonb, r.info),
           heartbeat_at = greatest(r.heartbeat_at, EXCLUDED.heartbeat_at),
           version = r.version + 1
         RETURNING ${COLUMNS}`,
        [evaluationId, update.containerId, update.host, update.info === null ? null : JSON.stringify(update.info), update.at],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    },

    async getMany(evaluationIds) {
      if (evaluationIds.length === 0) return new Map();
      const { rows } = await sql.query<RunningRow>(
        `SELECT ${COLUMNS} FROM evaluation_running WHERE evaluation_id = ANY($1::text[])`,
        [evaluationIds],
      );
      return new Map(rows.map((r) => [r.evaluation_id, toRecord(r)]));
    },

    async remove(evaluationId) {
      await sql.query('DELETE FROM evaluation_running WHERE evaluation_id = $1', [evaluationId]);
    },
  };
}
