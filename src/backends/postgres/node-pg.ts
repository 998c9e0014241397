import { createHash } from 'node:crypto';
import pg from 'pg';
import { BackendError } from '../../errors.ts';
import type { Queryable, QueryResult, SqlClient } from './sql-client.ts';
import { strataPgTypes } from './timestamps.ts';

export interface NodePgOptions {
  /** postgres:// connection string. */
  url: string;
  /** Schema for every table; it is put first on the search_path of each connection. @default 'public' */
  schema: string;
  /** Pool size. @default 10 */
  poolMax: number;
  /** How long a new connection may take. @default 5000 (read replicas use less: a read falls back to the primary) */
  connectTimeoutMs?: number;
  /** `application_name` of every connection (pg_stat_activity, server logs). */
  applicationName?: string;
}

/** A PostgreSQL server through a `pg` pool. */
export function createNodePgClient(options: NodePgOptions): SqlClient {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    options: `-c search_path=${options.schema},public`,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    ...(options.applicationName && { application_name: options.applicationName }),
    // timestamptz parsed straight into the API's ISO text (timestamps.ts); only this pool's.
    types: strataPgTypes,
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener that
  // would crash the process. The next query gets a fresh connection.
  pool.on('error', () => {});
  const stats = { statements: 0 };

  const run = async <R>(q: { query: pg.Pool['query'] }, text: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    stats.statements++;
    // Statements with parameters run as named prepared statements: each connection parses and
    // plans a text once and then only binds it.
    const result = params?.length
      ? await q.query({ name: statementName(text), text, values: params as unknown[] })
      : await q.query(text);
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  };

  return {
    kind: 'postgres',
    stats,
    query: (text, params) => run(pool, text, params),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: options.poolMax }),
    async transaction(fn) {
      const conn = await pool.connect();
      const tx: Queryable = { query: (text, params) => run(conn as unknown as pg.Pool, text, params) };
      try {
        await tx.query('BEGIN');
        const result = await fn(tx);
        await tx.query('COMMIT');
        return result;
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        conn.release();
      }
    },
    async migrationClient() {
      const conn = await pool.connect().catch((cause: unknown) => {
        throw new BackendError('postgres', `cannot connect to DATABASE_URL (${redact(options.url)}): ${String(cause)}`, { cause });
      });
      return { client: conn, release: () => conn.release() };
    },
    close: () => pool.end(),
  };
}

const names = new Map<string, string>();
/** Statement texts come from a bounded set of fragments; past this many, stop preparing new ones. */
const MAX_PREPARED = 2000;

/** A stable name per statement text, or undefined (an unnamed statement) once the cap is reached. */
function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (!name && names.size < MAX_PREPARED) names.set(text, (name = `strata_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`));
  return name;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
