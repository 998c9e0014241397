import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createPostgresGraphStore } from '../../src/backends/postgres/graph-store.ts';
import { connectPostgres, createPostgresEvaluationStore, migrate } from '../../src/backends/postgres/index.ts';
import { createReadRoutingClient } from '../../src/backends/postgres/read-routing.ts';
import { newSession, runInSession } from '../../src/backends/postgres/read-session.ts';
import { openReplica } from '../../src/backends/postgres/replica.ts';
import { silentLogger } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { pgClusterUnavailable, startPgCluster, startStandby } from '../support/pg-cluster.ts';
import { sqlOn } from '../support/replication.ts';
import { evaluationStoreContract } from '../contract/evaluation-store.ts';
import { graphStoreContract } from '../contract/graph-store.ts';

/**
 * The store contracts through the read-routing client (issue 9), with the reads answered by a real
 * hot standby. The standby is synchronous with remote_apply, so a commit returns only once the
 * standby has applied it: the contracts' write-then-read steps hold on the replica as they do on
 * the primary, and what this checks is that every marked read runs correctly there.
 */
if (!pgClusterUnavailable()) {
  const primary = await startPgCluster();
  const standby = await startStandby(primary);
  await sqlOn(primary, "ALTER SYSTEM SET synchronous_standby_names = '*'");
  await sqlOn(primary, "ALTER SYSTEM SET synchronous_commit = 'remote_apply'");
  await sqlOn(primary, 'SELECT pg_reload_conf()');
  await eventually('the standby to become synchronous', async () => {
    const rows = await sqlOn<{ sync_state: string }>(primary, 'SELECT sync_state FROM pg_stat_replication');
    return rows[0]?.sync_state === 'sync' ? true : undefined;
  });

  const replica = openReplica(0, standby.url, 'strata', 4, silentLogger);
  const sql = createReadRoutingClient(connectPostgres({ url: primary.url, schema: 'strata', poolMax: 4 }), [replica], null);
  await migrate(sql, 'strata', silentLogger);
  after(async () => {
    await sql.close();
    standby.destroy();
    primary.destroy();
  });

  /** Every call runs as its own GraphQL query would: in a fresh read session. */
  const inSessions = <T extends object>(store: T): T => {
    const wrapped = {} as Record<string, unknown>;
    for (const [name, value] of Object.entries(store)) {
      wrapped[name] = typeof value === 'function' ? (...args: unknown[]) => runInSession(newSession('', null, false), () => value.apply(wrapped, args)) : value;
    }
    return wrapped as T;
  };

  evaluationStoreContract(`postgres through the read router (primary ${primary.url}, replica ${standby.url})`, async () => {
    await sql.query('TRUNCATE evaluations, evaluation_events, evaluation_metrics RESTART IDENTITY CASCADE');
    return { store: inSessions(createPostgresEvaluationStore(sql)), close: async () => {} };
  });

  graphStoreContract(`postgres through the read router (replica ${standby.url})`, async () => {
    await sql.query('TRUNCATE graph_vertices, graph_edges CASCADE');
    return { store: inSessions(createPostgresGraphStore(sql)), close: async () => {} };
  });

  describe('read routing under the contracts', () => {
    it('answered the reads on the replica, with no fallback to the primary', () => {
      assert.ok(sql.router.counts.replica > 100, `reads on the replica: ${sql.router.counts.replica}`);
      assert.equal(sql.router.counts.fallbacks, 0);
    });
  });
}
