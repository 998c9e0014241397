import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Logger } from '../../logger.ts';
import type { BackendStatus } from '../types.ts';
import { parseLsn } from './lsn.ts';
import { createNodePgClient } from './node-pg.ts';
import type { QueryResult, SqlClient } from './sql-client.ts';

/** A replica that failed is left alone this long before one background probe tries it again. */
const RETRY_MS = 1000;
/** Connecting to a replica gives up sooner than to the primary: the read has the primary to fall back to. */
const CONNECT_TIMEOUT_MS = 2000;

/**
 * One hot standby: its pool, whether it answers, and how far it has replayed the primary's log.
 * It never throws at a reader for being down: the router asks `available()` and falls back.
 */
export interface Replica {
  readonly index: number;
  /** host:port/database, without credentials (storage and logs name it). */
  readonly label: string;
  readonly client: SqlClient;
  /** Reads routed here, and reads that failed here and were answered by the primary. */
  readonly counts: { reads: number; fallbacks: number };
  /** Up and a standby. A replica that is down gets a background probe at most every RETRY_MS. */
  available(): boolean;
  /** Whether it has replayed the log up to `lsn`: the last known position first, else one probe. */
  hasReplayed(lsn: bigint): Promise<boolean>;
  query<R>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** A failed read: connection errors mark the replica down until a probe succeeds. */
  failed(err: unknown): void;
  status(primaryLsn: () => Promise<bigint | null>): Promise<BackendStatus>;
  close(): Promise<void>;
}

interface ProbeRow {
  in_recovery: boolean;
  replay_lsn: string | null;
}

export function openReplica(index: number, url: string, schema: string, poolMax: number, logger: Logger): Replica {
  const client = createNodePgClient({ url, schema, poolMax, connectTimeoutMs: CONNECT_TIMEOUT_MS, applicationName: 'strata-replica-reads' });
  const label = describe(url);
  const counts = { reads: 0, fallbacks: 0 };
  let down: { since: number; lastTry: number; error: string } | null = null;
  let notStandby = false;
  let replayed = -1n;
  let probing: Promise<bigint | null> | null = null;

  const markDown = (err: unknown) => {
    const now = Date.now();
    // Whatever answers next under this URL may be another server (a replaced standby) that is
    // further behind: forget the position rather than trust it for a token.
    replayed = -1n;
    if (!down) logger.warn({ err, replica: label }, 'read replica unreachable; its reads go to the primary until it answers again');
    down = { since: down?.since ?? now, lastTry: now, error: String(err) };
  };

  /** Asks the standby where it is; the one statement behind availability and token checks. */
  const probe = (): Promise<bigint | null> =>
    (probing ??= client
      .query<ProbeRow>('SELECT pg_is_in_recovery() AS in_recovery, pg_last_wal_replay_lsn()::text AS replay_lsn')
      .then(({ rows }) => {
        const row = rows[0]!;
        if (down) logger.info({ replica: label }, 'read replica answers again');
        down = null;
        if (!row.in_recovery && !notStandby) {
          logger.error({ replica: label }, 'DATABASE_READ_URL names a server that is not a standby (pg_is_in_recovery() is false); no reads go to it');
        }
        notStandby = !row.in_recovery;
        const lsn = row.replay_lsn ? parseLsn(row.replay_lsn) : null;
        if (lsn !== null && lsn > replayed) replayed = lsn;
        return lsn;
      })
      .catch((err: unknown) => {
        markDown(err);
        return null;
      })
      .finally(() => {
        probing = null;
      }));

  void probe();

  return {
    index,
    label,
    client,
    counts,
    available() {
      if (notStandby) return false;
      if (!down) return true;
      if (Date.now() - down.lastTry >= RETRY_MS) {
        down.lastTry = Date.now();
        void probe();
      }
      return false;
    },
    async hasReplayed(lsn) {
      if (replayed >= lsn) return true;
      await probe();
      return replayed >= lsn;
    },
    query: (text, params) => client.query(text, params),
    failed(err) {
      if (isConnectionError(err)) markDown(err);
    },
    status: (primaryLsn) => replicaStatus({ client, label, counts, primaryLsn, down: () => down, markDown, markUp: () => void probe() }),
    close: () => client.close(),
  };
}

interface StatusRow {
  in_recovery: boolean;
  paused: boolean | null;
  replay_lsn: string | null;
  receive_lsn: string | null;
  lag_seconds: number | null;
}

async function replicaStatus(r: {
  client: SqlClient;
  label: string;
  counts: { reads: number; fallbacks: number };
  primaryLsn: () => Promise<bigint | null>;
  down: () => { error: string } | null;
  markDown: (err: unknown) => void;
  markUp: () => void;
}): Promise<BackendStatus> {
  const base = { name: 'postgres', kind: 'postgres', role: 'replica', required: false };
  const started = performance.now();
  // The primary's position first, so the difference never counts WAL written after the replica answered.
  const primary = await r.primaryLsn().catch(() => null);
  try {
    const { rows } = await r.client.query<StatusRow>(
      `SELECT pg_is_in_recovery() AS in_recovery,
              CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() END AS paused,
              pg_last_wal_replay_lsn()::text AS replay_lsn, pg_last_wal_receive_lsn()::text AS receive_lsn,
              CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
                   ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END::float8 AS lag_seconds`,
    );
    const row = rows[0]!;
    if (r.down()) r.markUp();
    const replay = row.replay_lsn ? parseLsn(row.replay_lsn) : null;
    const lagBytes = primary !== null && replay !== null ? Number(primary > replay ? primary - replay : 0n) : null;
    return {
      ...base,
      healthy: row.in_recovery,
      latencyMs: performance.now() - started,
      metrics: {
        replica: r.label,
        reachable: true,
        inRecovery: row.in_recovery,
        replayPaused: row.paused,
        replayLsn: row.replay_lsn,
        receiveLsn: row.receive_lsn,
        lagBytes,
        lagSeconds: row.lag_seconds,
        ...r.counts,
      },
      ...(!row.in_recovery && { error: 'not a standby (pg_is_in_recovery() is false): no reads go to it' }),
    };
  } catch (err) {
    r.markDown(err);
    return { ...base, healthy: false, latencyMs: null, metrics: { replica: r.label, reachable: false, ...r.counts }, error: String(err) };
  }
}

/**
 * Errors that say the server is not there (refused or reset connections, timeouts, shutdown),
 * rather than anything about the statement: node's own errors carry no SQLSTATE.
 */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof pg.DatabaseError)) return true;
  const code = err.code ?? '';
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

function describe(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'replica';
  }
}
