import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { eventually } from '../support/eventually.ts';
import { startMeasuredGateway } from '../support/large-text.ts';
import { createTestSchema, postgresUnavailable, TEST_DATABASE_URL } from '../support/postgres.ts';

const skip = await postgresUnavailable();

describe('a gateway killed in the middle of a large upload (PostgreSQL, file blobs)', { skip: skip ?? false }, () => {
  it('leaves no row pointing at a missing blob, only a temporary file that cleanup removes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'strata-crash-'));
    const schema = await createTestSchema();
    const env = { DATA_DIR: dataDir, DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema.name };
    const dir = join(dataDir, 'files', 'evaluations', 'crash');
    try {
      let gateway = await startMeasuredGateway(env);
      const gql = async (query: string) =>
        (await (await fetch(`${gateway.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json()) as any;
      await gql('mutation { createEvaluation(input: { id: "crash", code: "x" }) { id } }');
      // 32 MiB, then the client stalls: the server is mid-write when it dies.
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull: (c) => (sent < 32 * 1024 * 1024 ? void (c.enqueue(Buffer.alloc(64 * 1024, 'a')), (sent += 64 * 1024)) : new Promise(() => {})),
      });
      const abort = new AbortController();
      fetch(`${gateway.origin}/evaluations/crash/output`, { method: 'PUT', body, duplex: 'half', signal: abort.signal } as RequestInit).catch(() => {});
      const temp = await eventually('the upload to reach the disk', async () => {
        const name = (() => {
          try {
            return readdirSync(dir).find((n) => n.startsWith('.tmp-'));
          } catch {
            return undefined; // the directory comes with the first bytes
          }
        })();
        return name && statSync(join(dir, name)).size >= 16 * 1024 * 1024 ? name : undefined;
      }, 60_000);
      await gateway.kill();
      abort.abort();

      gateway = await startMeasuredGateway(env);
      const after = await gql('{ evaluation(id: "crash") { id output { location } } }');
      assert.deepEqual(after.data.evaluation, { id: 'crash', output: null }, 'the row never named the half-written blob');
      const download = await fetch(`${gateway.origin}/evaluations/crash/output`);
      assert.equal(download.status, 404);
      await gateway.stop();

      assert.deepEqual(readdirSync(dir), [temp], 'only the temporary file is left, under a name no row can hold');
      const cleaned = spawnSync(process.execPath, ['bin/strata.js', 'cleanup', '--older-than', '30d', '--orphan-grace', '0s'], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
      assert.equal(cleaned.status, 0, cleaned.stderr);
      assert.match(cleaned.stdout, /Removed 0 orphan blobs \(0.0 MiB\), 1 temporary files/);
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      await schema.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
