import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { decodeEntry, entryId } from '../../src/backends/journal/entries.ts';
import { eventually } from '../support/eventually.ts';
import { startGateway, type GatewayProcess } from '../support/gateway-process.ts';
import { pgClusterUnavailable, startPgCluster } from '../support/pg-cluster.ts';
import { createTestSchema, postgresUnavailable, TEST_DATABASE_URL, type TestSchema } from '../support/postgres.ts';
import { postGraphql, subscriptionClient, TRANSPORTS } from '../support/subscriptions.ts';

const skip = await postgresUnavailable();

const CREATE = 'mutation($id: ID!) { createEvaluation(input: { id: $id, code: "print(1)" }) { id } }';
const START = 'mutation($id: ID!) { updateEvaluation(id: $id, input: { status: RUNNING }) { id status } }';

/**
 * The slow request is genuinely slow: the test holds the evaluation's row lock in a transaction of
 * its own, so the gateway's UPDATE waits in PostgreSQL until the test commits. No sleeps: the test
 * sees the wait in pg_stat_activity and the shutdown in the gateway's log.
 */
async function lockRow(schema: string, id: string): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`SELECT id FROM ${schema}.evaluations WHERE id = $1 FOR UPDATE`, [id]);
  let released: Promise<void> | null = null;
  return {
    release: () => (released ??= client.query('COMMIT').then(() => client.end())),
  };
}

/** Sessions of this test's gateway (its application_name), or only those waiting for a lock (the in-flight UPDATE). */
async function sessions(appName: string, waitingOnLock = false): Promise<number> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND ($2::boolean IS FALSE OR wait_event_type = 'Lock')`, [appName, waitingOnLock]);
    return rows[0].n as number;
  } finally {
    await client.end();
  }
}
const waitingOnLocks = (schema: string) => sessions(schema, true);

const sendStart = (url: string, id: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: START, variables: { id } }) }).then(async (res) => ({ status: res.status, body: await res.json() }));

describe('SIGTERM on a real gateway process (PostgreSQL)', { skip: skip ?? false }, () => {
  let schema: TestSchema;
  let gateway: GatewayProcess | null = null;
  before(async () => (schema = await createTestSchema()));
  after(async () => {
    gateway?.child.kill('SIGKILL');
    await schema.drop();
  });
  // PGAPPNAME names every connection the gateway opens, so pg_stat_activity tells its sessions apart.
  const start = (graceMs: number) => startGateway({ DATABASE_URL: TEST_DATABASE_URL, PGAPPNAME: schema.name, DATABASE_SCHEMA: schema.name, STORAGE_BACKEND: 'postgres', SHUTDOWN_GRACE_MS: String(graceMs), REDIS_URL: '' });

  it('lets the in-flight request finish with its data, refuses new connections, completes subscriptions, exits 0', async (t) => {
    gateway = await start(60_000);
    const { url } = gateway;
    await postGraphql(url, CREATE, { id: 'sd-slow' });
    await postGraphql(url, CREATE, { id: 'sd-watched' });
    const clients = TRANSPORTS.map((t) => subscriptionClient(t, url));
    const subs = clients.map((c) => c.subscribe('subscription { evaluationUpdated(id: "sd-watched") { id status } }'));
    await Promise.all(subs.map((s) => s.atLeast(1)));

    const lock = await lockRow(schema.name, 'sd-slow');
    t.after(() => lock.release().catch(() => {}));
    t.after(() => Promise.all(clients.map((c) => c.close())));
    const inFlight = sendStart(url, 'sd-slow');
    await eventually('the UPDATE waits for the row lock', async () => ((await waitingOnLocks(schema.name)) === 1 ? true : undefined));

    assert.ok((await sessions(schema.name)) >= 1, 'the gateway\'s sessions are visible by their application_name');
    const exited = once(gateway.child, 'exit');
    gateway.child.kill('SIGTERM');
    await eventually('the gateway logs the shutdown', async () => (/shutting down/.test(gateway!.output()) ? true : undefined));

    // Subscriptions complete (graphql-sse and graphql-ws see a clean end, not an error).
    await Promise.all(subs.map((s) => s.done));
    assert.deepEqual(subs.map((s) => s.completed), [true, true]);
    assert.deepEqual(subs.map((s) => s.results[0]?.data), [{ evaluationUpdated: { id: 'sd-watched', status: 'QUEUED' } }, { evaluationUpdated: { id: 'sd-watched', status: 'QUEUED' } }]);

    // The listening socket is closed: a new connection is refused (a raw connect, so no pooled
    // keep-alive connection of the client can stand in for a new one).
    const { port } = new URL(url);
    const fresh = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => (socket.destroy(), resolve('connected')));
      socket.once('error', (err: Error & { code?: string }) => resolve(err.code ?? err.message));
    });
    assert.equal(fresh, 'ECONNREFUSED');
    assert.equal(gateway.child.exitCode, null, 'still running: a request is in flight');

    await lock.release();
    const answered = await inFlight;
    assert.deepEqual(answered, { status: 200, body: { data: { updateEvaluation: { id: 'sd-slow', status: 'RUNNING' } } } });
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);
    assert.match(gateway.output(), /"msg":"stopped"/);
    assert.doesNotMatch(gateway.output(), /grace period over/, 'it finished within SHUTDOWN_GRACE_MS');
    // Its pool closed: no session of it is left (PostgreSQL drops a session as its backend exits,
    // a moment after the connection closes, so this waits for that, not for the gateway).
    await eventually('the gateway\'s sessions to be gone', async () => ((await sessions(schema.name)) === 0 ? true : undefined));
    gateway = null;
  });

  it('past SHUTDOWN_GRACE_MS cuts the request that is still waiting, says so, and still exits', async (t) => {
    gateway = await start(300);
    const { url } = gateway;
    await postGraphql(url, CREATE, { id: 'sd-stuck' });
    const lock = await lockRow(schema.name, 'sd-stuck');
    try {
      const inFlight = sendStart(url, 'sd-stuck').then(
        (r) => `answered ${r.status}`,
        (err: Error & { cause?: { code?: string } }) => err.cause?.code ?? err.message,
      );
      await eventually('the UPDATE waits for the row lock', async () => ((await waitingOnLocks(schema.name)) === 1 ? true : undefined));
      const exited = once(gateway.child, 'exit');
      gateway.child.kill('SIGTERM');
      assert.match(await inFlight, /ECONNRESET|UND_ERR_SOCKET|other side closed/, 'the connection was cut');
      // Closing the pool waits for the query still stuck on the lock: the process exits anyway.
      const [code] = (await exited) as [number | null];
      t.diagnostic(`exit code ${code}; last lines: ${gateway.output().trim().split('\n').slice(-3).join(' | ')}`);
      assert.match(gateway.output(), /grace period over; closing open connections/);
      assert.match(gateway.output(), /shutdown not finished 5000 ms after SHUTDOWN_GRACE_MS \(a backend did not close\); exiting with 1/);
      assert.equal(code, 1, 'it did not finish cleanly, and says so');
    } finally {
      await lock.release();
      gateway = null;
    }
  });
});

const clusterSkip = pgClusterUnavailable();

describe('SIGTERM while the primary is down (a PostgreSQL cluster of the test\'s own)', { skip: clusterSkip ?? false }, () => {
  it('exits 0 with the journaled write intact in the journal file, and a restarted gateway replays it', async () => {
    const cluster = await startPgCluster();
    const dir = mkdtempSync(join(tmpdir(), 'strata-shutdown-'));
    const journal = join(dir, 'journal.jsonl');
    const env = { DATABASE_URL: cluster.url, STORAGE_BACKEND: 'postgres', DATA_DIR: dir, FALLBACK_JOURNAL_PATH: journal, REDIS_URL: '' };
    let gateway: GatewayProcess | null = null;
    try {
      gateway = await startGateway(env);
      await postGraphql(gateway.url, CREATE, { id: 'sd-primary' });
      cluster.stop();
      const created = await postGraphql(gateway.url, 'mutation($id: ID!) { createEvaluation(input: { id: $id, code: "print(2)" }) { id storedIn } }', { id: 'sd-journaled' });
      assert.deepEqual(created.createEvaluation, { id: 'sd-journaled', storedIn: 'FALLBACK_JOURNAL' });
      assert.equal(await gateway.stop(), 0, gateway.output());
      const lines = readFileSync(journal, 'utf8').split('\n').filter(Boolean);
      assert.equal(lines.length, 1, 'the acknowledged create, and nothing else');
      const entry = decodeEntry(JSON.parse(lines[0]!));
      assert.deepEqual([entry.op, entryId(entry)], ['create', 'sd-journaled']);

      cluster.start();
      gateway = await startGateway(env);
      const client = new pg.Client(cluster.url);
      await client.connect();
      try {
        const inPrimary = async () => (await client.query(`SELECT id FROM public.evaluations WHERE id = 'sd-journaled'`)).rowCount === 1 || undefined;
        await eventually('the restarted gateway to replay the journal', inPrimary);
      } finally {
        await client.end();
      }
      assert.equal(await gateway.stop(), 0);
      assert.equal(readFileSync(journal, 'utf8'), '', 'replayed, so no longer in the journal');
      gateway = null;
    } finally {
      gateway?.child.kill('SIGKILL');
      cluster.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
