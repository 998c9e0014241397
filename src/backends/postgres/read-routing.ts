import pg from 'pg';
import type { BackendStatus } from '../types.ts';
import { formatLsn, parseLsn } from './lsn.ts';
import { currentSession, type ReadSession } from './read-session.ts';
import type { Replica } from './replica.ts';
import type { Queryable, QueryResult, SqlClient } from './sql-client.ts';

/** Whether an API key wrote within the read-your-writes window (read-your-writes.ts). */
export interface RecentWriters {
  mark(caller: string): Promise<void>;
  wroteRecently(caller: string): Promise<boolean>;
  close(): Promise<void>;
}

/** What the read-routing plugin and `storage` need besides the SqlClient itself. */
export interface ReadRouter {
  readonly replicas: readonly Replica[];
  /** Reads by where they were answered; `fallbacks` failed on a replica and were answered by the primary. */
  readonly counts: { primary: number; replica: number; fallbacks: number };
  /** The window store, or null when DATABASE_READ_YOUR_WRITES_MS=0. */
  readonly recentWriters: RecentWriters | null;
  /** The primary's WAL insert position now: after a commit, at or past that commit (the consistency token). */
  consistencyToken(): Promise<string>;
  /** Replica `index`: reachable, replay position, lag in bytes (against the primary) and seconds. */
  status(index: number): Promise<BackendStatus>;
}

export interface RoutingSqlClient extends SqlClient {
  readonly reads: Queryable;
  readonly router: ReadRouter;
}

export function readRouterOf(sql: SqlClient | null): ReadRouter | null {
  return (sql as Partial<RoutingSqlClient> | null)?.router ?? null;
}

/**
 * The one place that decides where a statement goes (issue 9):
 * - `query` and `transaction` (every write, and reads nobody marked) go to the primary;
 * - `reads.query` (what the stores mark as read-only) goes to a replica only inside a read session
 *   (a GraphQL query, see use-read-routing.ts) that is not primary-only (no mutation ran in the
 *   request, and no statement of it went to the primary yet), whose caller did not write within
 *   the window, and, when it carries a consistency token, only to a replica that has replayed at
 *   least that far. Anything else: the primary.
 * A request's reads all go to the replica chosen at its first read (round-robin over the available
 * ones), so one response never mixes two replicas' points in time. A replica read that fails
 * (down, recovery conflict, anything but an error in the statement's own data) is answered by the
 * primary, and the rest of the request stays there.
 */
export function createReadRoutingClient(primary: SqlClient, replicas: readonly Replica[], recentWriters: RecentWriters | null): RoutingSqlClient {
  const counts = { primary: 0, replica: 0, fallbacks: 0 };
  const pick = roundRobin(replicas);

  const choose = async (session: ReadSession): Promise<number | null> => {
    const replica = pick();
    if (!replica) return null;
    if (recentWriters && (await recentWriters.wroteRecently(session.caller))) return null;
    if (session.token !== null && !(await replica.hasReplayed(session.token))) return null;
    return replica.index;
  };

  const onPrimary = <R>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    counts.primary++;
    return primary.query<R>(text, params);
  };

  const reads: Queryable = {
    async query<R>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const session = currentSession();
      if (!session || session.primaryOnly) return onPrimary<R>(text, params);
      const index = await (session.target ??= choose(session).catch(() => null));
      if (index === null) return onPrimary<R>(text, params);
      const replica = replicas[index]!;
      try {
        const result = await replica.query<R>(text, params);
        replica.counts.reads++;
        counts.replica++;
        return result;
      } catch (err) {
        if (isStatementError(err)) throw err;
        replica.failed(err);
        replica.counts.fallbacks++;
        counts.fallbacks++;
        session.target = Promise.resolve(null);
        return onPrimary<R>(text, params);
      }
    },
  };

  const primaryLsn = async (fn: 'pg_current_wal_lsn' | 'pg_current_wal_insert_lsn'): Promise<bigint | null> => {
    const { rows } = await primary.query<{ lsn: string }>(`SELECT ${fn}()::text AS lsn`);
    return parseLsn(rows[0]!.lsn);
  };

  const router: ReadRouter = {
    replicas,
    counts,
    recentWriters,
    // The insert position, not the flushed one: it is at or past every commit that has returned,
    // whatever synchronous_commit says, so a replica that replayed this far has them all.
    consistencyToken: async () => formatLsn((await primaryLsn('pg_current_wal_insert_lsn'))!),
    status: (index) => replicas[index]!.status(() => primaryLsn('pg_current_wal_lsn')),
  };

  return {
    kind: primary.kind,
    get stats() {
      return { statements: primary.stats.statements + replicas.reduce((n, r) => n + r.client.stats.statements, 0) };
    },
    query(text, params) {
      const session = currentSession();
      if (session) onPrimaryFromNowOn(session);
      return primary.query(text, params);
    },
    transaction(fn) {
      const session = currentSession();
      if (session) onPrimaryFromNowOn(session);
      return primary.transaction(fn);
    },
    reads,
    router,
    ...(primary.poolStats && { poolStats: () => primary.poolStats!() }),
    migrationClient: () => primary.migrationClient(),
    async close() {
      await Promise.all(replicas.map((r) => r.close()));
      await recentWriters?.close();
      await primary.close();
    },
  };
}

/** The next available replica after the last one chosen, or null when none is available. */
function roundRobin(replicas: readonly Replica[]): () => Replica | null {
  let next = 0;
  return () => {
    for (let i = 0; i < replicas.length; i++) {
      const replica = replicas[(next + i) % replicas.length]!;
      if (replica.available()) {
        next = (next + i + 1) % replicas.length;
        return replica;
      }
    }
    return null;
  };
}

/**
 * A statement that may write went to the primary: the rest of the request reads there too, so it
 * sees what it wrote (and one point in time). Unmarked reads count as writes here: safe, not lost.
 */
function onPrimaryFromNowOn(session: ReadSession): void {
  session.primaryStatements++;
  session.primaryOnly = true;
}

/**
 * An error in the statement's own data (SQLSTATE class 22: bad input syntax, out of range, ...):
 * the primary would answer the same, so it is not retried there.
 */
function isStatementError(err: unknown): boolean {
  return err instanceof pg.DatabaseError && (err.code ?? '').startsWith('22');
}
