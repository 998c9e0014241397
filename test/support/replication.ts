import { readFileSync } from 'node:fs';
import pg from 'pg';
import { parseLsn } from '../../src/backends/postgres/lsn.ts';
import { eventually } from './eventually.ts';
import type { PgCluster } from './pg-cluster.ts';

/** One statement on a server of the test's own, on a connection of its own. */
export async function sqlOn<R = Record<string, unknown>>(cluster: PgCluster, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  try {
    return (await client.query(text)).rows as R[];
  } finally {
    await client.end();
  }
}

/** Waits until the standby has replayed everything the primary has written so far. */
export async function caughtUp(primary: PgCluster, standby: PgCluster): Promise<void> {
  const [{ lsn }] = await sqlOn<{ lsn: string }>(primary, 'SELECT pg_current_wal_lsn()::text AS lsn');
  const target = parseLsn(lsn)!;
  await eventually('the standby to replay the primary', async () => {
    const [row] = await sqlOn<{ lsn: string | null }>(standby, 'SELECT pg_last_wal_replay_lsn()::text AS lsn');
    return row?.lsn && parseLsn(row.lsn)! >= target ? true : undefined;
  });
}

/** Stops replay on the standby (it keeps receiving WAL): a deterministic lag for tests. */
export async function pauseReplay(standby: PgCluster): Promise<void> {
  await sqlOn(standby, 'SELECT pg_wal_replay_pause()');
  // Pausing is a request; it holds once the state says so.
  await eventually('replay to pause', async () => {
    const [row] = await sqlOn<{ state: string }>(standby, 'SELECT pg_get_wal_replay_pause_state() AS state');
    return row?.state === 'paused' ? true : undefined;
  });
}

export async function resumeReplay(standby: PgCluster): Promise<void> {
  await sqlOn(standby, 'SELECT pg_wal_replay_resume()');
}

/**
 * Parameterised statements the server executed, by its own log (log_statement=all): node-pg runs
 * them as named prepared statements, logged as `execute strata_<hash>: ...`. Probes and the
 * tests' own statements are unparameterised and not counted.
 */
export function executedStatements(cluster: PgCluster): number {
  return (readFileSync(cluster.logFile, 'utf8').match(/execute strata_[0-9a-f]+/g) ?? []).length;
}
