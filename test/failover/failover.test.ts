import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openFileJournal } from '../../src/backends/journal/file-journal.ts';
import { decodeEntry, encodeEntry, type JournalEntry } from '../../src/backends/journal/entries.ts';
import { withFailover } from '../../src/backends/journal/failover-store.ts';
import { createReplayApplier } from '../../src/backends/journal/replay.ts';
import { connectPostgres, createPostgresEvaluationStore } from '../../src/backends/postgres/index.ts';
import { createRegistry, type Registry } from '../../src/backends/registry.ts';
import { testConfig } from '../../src/config.ts';
import { createStrataYoga, type StrataYoga } from '../../src/yoga.ts';
import { silentLogger } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { pgClusterUnavailable, startPgCluster, type PgCluster } from '../support/pg-cluster.ts';

const skip = pgClusterUnavailable();
const WRITES = 240;

describe('failover: writes while the primary PostgreSQL goes away and comes back', { skip: skip ?? false }, () => {
  let cluster: PgCluster;
  let dir: string;
  let registry: Registry;
  let yoga: StrataYoga;
  before(async () => {
    cluster = await startPgCluster();
    dir = mkdtempSync(join(tmpdir(), 'strata-failover-'));
    const base = testConfig();
    const config = testConfig({
      storage: { kind: 'postgres', url: cluster.url, schema: 'strata', poolMax: 4 },
      blobs: { ...base.blobs, backend: 'memory', fallback: { journalPath: join(dir, 'journal.jsonl'), replayIntervalMs: 100 } },
    });
    registry = await createRegistry(config, silentLogger, { migrate: true });
    yoga = createStrataYoga({ config, registry, logger: silentLogger });
  });
  after(async () => {
    await registry?.close();
    cluster?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** strata_fallback_journal_depth as GET /metrics reports it. */
  const journalDepth = async () => {
    const text = await (await yoga.fetch('http://yoga/metrics')).text();
    const line = text.split('\n').find((l) => l.startsWith('strata_fallback_journal_depth '));
    return line ? Number(line.split(' ')[1]) : NaN;
  };

  const gql = async (query: string, variables: Record<string, unknown>, key?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) };
    const res = await yoga.fetch('http://yoga/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as { data?: any; errors?: { extensions: { code: string } }[] };
  };

  it('acknowledges every create, journals them while the primary is down, and replays each exactly once', async () => {
    const acked = new Map<string, string>();
    const createErrors: string[] = [];
    const updateErrors: string[] = [];
    let readWhileDown: unknown = null;
    let depthWhileDown = NaN;
    assert.equal(await journalDepth(), 0, 'nothing journaled while the primary is up');
    for (let i = 0; i < WRITES; i++) {
      if (i === 80) cluster.stop();
      if (i === 120) {
        // What needs the primary fails with one clear code, whichever backend code path it takes.
        for (const query of ['{ evaluations(first: 5) { totalCount } }', '{ statistics { total } }', '{ runningEvaluations { id } }', 'mutation { markRunning(id: "f-0") { id } }', '{ evaluation(id: "f-1") { id } }']) {
          const res = await gql(query, {});
          assert.deepEqual(res.errors?.map((e) => e.extensions.code), ['UNAVAILABLE'], `${query}: ${JSON.stringify(res.errors)}`);
        }
      }
      if (i === 160) {
        readWhileDown = (await gql('query($id: ID!) { evaluation(id: $id) { id status storedIn } }', { id: 'f-100' })).data?.evaluation;
        copyFileSync(join(dir, 'journal.jsonl'), join(dir, 'journal-copy.jsonl'));
        depthWhileDown = await journalDepth();
        cluster.start();
      }
      const id = `f-${i}`;
      const create = () => gql('mutation($id: ID!) { createEvaluation(input: { id: $id, code: "print(1)" }) { id storedIn } }', { id }, `create-${i}`);
      const created = await create();
      if (created.errors) createErrors.push(created.errors[0]!.extensions.code);
      else acked.set(id, created.data.createEvaluation.storedIn);
      // Every 10th create is retried by its client, as after a lost answer: same key, same answer.
      if (i % 10 === 5) assert.deepEqual(await create(), created, `the retry of ${id} gets the first answer`);
      // While the primary is down, an evaluation created in the journal keeps taking writes.
      if (i >= 80 && i < 160 && i % 8 === 0 && !created.errors) {
        const run = await gql('mutation($id: ID!) { updateEvaluation(id: $id, input: { status: RUNNING }) { status storedIn } }', { id });
        assert.deepEqual(run.data?.updateEvaluation, { status: 'RUNNING', storedIn: 'FALLBACK_JOURNAL' }, JSON.stringify(run.errors));
        const ev = await gql('mutation($id: ID!) { addEvent(evaluationId: $id, type: "heartbeat") { type } }', { id });
        assert.equal(ev.data?.addEvent.type, 'heartbeat', JSON.stringify(ev.errors));
        const m = await gql('mutation($id: ID!) { recordMetrics(evaluationId: $id, points: [{ name: "loss", value: 1 }, { name: "loss", value: 0.5 }]) }', { id });
        assert.equal(m.data?.recordMetrics, 2, JSON.stringify(m.errors));
      }
      if (i % 4 === 0 && i > 0) {
        const updated = await gql('mutation($id: ID!) { updateEvaluation(id: $id, input: { metadata: { touched: true } }) { id } }', { id: 'f-0' });
        if (updated.errors) updateErrors.push(updated.errors[0]!.extensions.code);
      }
    }
    await eventually('the journal to drain', async () => ((await registry.failover.replay()) === 0 && registry.failover.pending() === 0 ? true : undefined), 60_000);

    assert.equal(depthWhileDown, 80 + 10 * 3, 'GET /metrics reports every journaled write: 80 creates, 10 x (update, event, metrics)');
    assert.equal(await journalDepth(), 0, 'and none once the journal is drained');
    assert.deepEqual(createErrors, [], 'no create failed');
    const where = [...acked.values()];
    assert.equal(where.filter((w) => w === 'FALLBACK_JOURNAL').length, 80, 'the 80 creates made while the primary was down went to the journal');
    assert.equal(where.filter((w) => w === 'PRIMARY').length, 160);
    assert.deepEqual(readWhileDown, { id: 'f-100', status: 'QUEUED', storedIn: 'FALLBACK_JOURNAL' }, 'reads see journaled writes');
    assert.ok(updateErrors.length > 0 && updateErrors.every((c) => c === 'UNAVAILABLE'), `updates failed only with UNAVAILABLE while the primary was down: ${updateErrors.join(',')}`);

    const client = new pg.Client(cluster.url);
    await client.connect();
    try {
      const counts = async () =>
        (await client.query<{ id: string; events: number }>(
          `SELECT e.id, (SELECT count(*)::int FROM strata.evaluation_events v WHERE v.evaluation_id = e.id AND v.type = 'created') AS events
           FROM strata.evaluations e WHERE e.id LIKE 'f-%' ORDER BY e.id`,
        )).rows;
      const rows = await counts();
      assert.deepEqual(rows.map((r) => r.id).sort(), [...acked.keys()].sort(), 'every acknowledged create is in the primary');
      assert.ok(rows.every((r) => r.events === 1), 'each exactly once: one row, one created event');
      const journaled = (await client.query(`SELECT count(*)::int AS n FROM strata.evaluation_events WHERE metadata->>'storedIn' = 'FALLBACK_JOURNAL' AND metadata ? 'journaledAt' AND metadata ? 'replayedAt'`)).rows[0].n;
      assert.equal(journaled, 80, 'the timeline of each journaled evaluation records where it went');
      const later = await client.query<{ id: string; status: string; events: number; metrics: number }>(
        `SELECT e.id, e.status, (SELECT count(*)::int FROM strata.evaluation_events v WHERE v.evaluation_id = e.id) AS events,
                (SELECT count(*)::int FROM strata.evaluation_metrics m WHERE m.evaluation_id = e.id) AS metrics
         FROM strata.evaluations e WHERE e.id = ANY($1::text[]) ORDER BY e.id`,
        [Array.from({ length: 10 }, (_, k) => `f-${80 + 8 * k}`)],
      );
      assert.equal(later.rows.length, 10);
      for (const r of later.rows) assert.deepEqual([r.status, r.events, r.metrics], ['RUNNING', 3, 2], `${r.id}: created, RUNNING and heartbeat events, two points, each once`);

      // Replaying the same journal again (a copy taken before the replay) changes nothing.
      const copy = await openFileJournal<JournalEntry>(join(dir, 'journal-copy.jsonl'), decodeEntry, encodeEntry);
      assert.equal(copy.size, 80 + 10 * 3);
      const sql = connectPostgres({ url: cluster.url, schema: 'strata', poolMax: 2 });
      const again = withFailover(createPostgresEvaluationStore(sql), copy, createReplayApplier(sql, silentLogger), silentLogger);
      assert.equal(await again.replay(), 110);
      await copy.close();
      await sql.close();
      assert.deepEqual(await counts(), rows);
      assert.equal((await client.query('SELECT count(*)::int AS n FROM strata.evaluation_metrics')).rows[0].n, 20, 'no metric point doubled by the second replay');
    } finally {
      await client.end();
    }
  });
});
