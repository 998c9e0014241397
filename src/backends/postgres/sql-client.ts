/**
 * The smallest driver interface the Postgres backend needs, satisfied by both `pg` (a pool) and
 * PGlite (embedded). Everything above this file is the same SQL on both.
 */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface SqlClient extends Queryable {
  /** 'postgres' for a server reached through `pg`, 'pglite' for the embedded database. */
  readonly kind: 'postgres' | 'pglite';
  /** Statements sent since start: tests assert on it to prove batching. */
  readonly stats: { statements: number };
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Where the stores send statements that only read (issue 9): with DATABASE_READ_URL, a router
   * that may answer them from a hot standby (read-routing.ts); absent, they go to `query` like
   * everything else. Stores pick it once (`sql.reads ?? sql`), so the primary-only path is unchanged.
   */
  readonly reads?: Queryable;
  /** Connections of a pool (for /metrics); absent for PGlite, which has none. */
  poolStats?(): { total: number; idle: number; waiting: number; max: number };
  /**
   * A client for node-pg-migrate: plain-SQL migration files hold several statements, which only
   * the simple query protocol accepts, so parameterless queries go through it.
   */
  migrationClient(): Promise<{ client: { query: (text: string, values?: unknown[]) => Promise<unknown> }; release: () => void }>;
  close(): Promise<void>;
}

/** Collects bound parameters while a statement is built: `$${p.add(value)}` never inlines a value. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
