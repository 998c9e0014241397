import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openFileJournal } from '../../src/backends/journal/file-journal.ts';
import { reviveEntry, withFailover, type CreateEntry } from '../../src/backends/journal/failover-store.ts';
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
    for (let i = 0; i < WRITES; i++) {
      if (i === 80) cluster.stop();
      if (i === 160) {
        readWhileDown = (await gql('query($id: ID!) { evaluation(id: $id) { id status storedIn } }', { id: 'f-100' })).data?.evaluation;
        copyFileSync(join(dir, 'journal.jsonl'), join(dir, 'journal-copy.jsonl'));
        cluster.start();
      }
      const id = `f-${i}`;
      const create = () => gql('mutation($id: ID!) { createEvaluation(input: { id: $id, code: "print(1)" }) { id storedIn } }', { id }, `create-${i}`);
      const created = await create();
      if (created.errors) createErrors.push(created.errors[0]!.extensions.code);
      else acked.set(id, created.data.createEvaluation.storedIn);
      // Every 10th create is retried by its client, as after a lost answer: same key, same answer.
      if (i % 10 === 5) assert.deepEqual(await create(), created, `the retry of ${id} gets the first answer`);
      if (i % 4 === 0 && i > 0) {
        const updated = await gql('mutation($id: ID!) { updateEvaluation(id: $id, input: { metadata: { touched: true } }) { id } }', { id: 'f-0' });
        if (updated.errors) updateErrors.push(updated.errors[0]!.extensions.code);
      }
    }
    await eventually('the journal to drain', async () => ((await registry.failover.replay()) === 0 && registry.failover.pending() === 0 ? true : undefined), 60_000);

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

      // Replaying the same journal again (a copy taken before the replay) changes nothing.
      const copy = await openFileJournal<CreateEntry>(join(dir, 'journal-copy.jsonl'), reviveEntry);
      assert.equal(copy.size, 80);
      const sql = connectPostgres({ url: cluster.url, schema: 'strata', poolMax: 2 });
      const again = withFailover(createPostgresEvaluationStore(sql), copy, silentLogger);
      assert.equal(await again.replay(), 80);
      await copy.close();
      await sql.close();
      assert.deepEqual(await counts(), rows);
    } finally {
      await client.end();
    }
  });
});
