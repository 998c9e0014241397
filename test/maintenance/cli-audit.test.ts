import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cleanupCommand, importCommand } from '../../src/maintenance/commands.ts';
import { exportAll } from '../../src/maintenance/export.ts';
import { silentProgress } from '../../src/maintenance/progress.ts';
import { createTestApp, silentLogger, type TestApp } from '../support/app.ts';
import { API_KEYS_ENV, bearer, KEYS } from '../support/keys.ts';
import { postgresUnavailable } from '../support/postgres.ts';

const skip = (await postgresUnavailable()) ?? false;
const LOG = 'query($op: String) { auditLog(first: 50, filter: { operation: $op }) { edges { node { keyName operation targetIds outcome requestId } } } }';

/** Runs a command as `strata <command>` does (its own registry on the same config), its summary kept off the test output. */
async function quietly(run: () => Promise<void>): Promise<void> {
  const log = console.log;
  console.log = () => {};
  try {
    await run();
  } finally {
    console.log = log;
  }
}

describe('strata cleanup and strata import append audit records (PostgreSQL)', { skip }, () => {
  let app: TestApp;
  let dir: string;
  const audited = async (op: string) => {
    const res = await app.gql(LOG, { op }, bearer(KEYS.admin));
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    return (res.body.data as any).auditLog.edges.map((e: { node: unknown }) => e.node).reverse(); // oldest first
  };
  before(async () => {
    app = await createTestApp('postgres', {}, undefined, { STRATA_API_KEYS: API_KEYS_ENV, RATE_LIMIT_PER_SECOND: '0' });
    dir = mkdtempSync(join(tmpdir(), 'strata-cli-audit-'));
    for (const id of ['cli-a', 'cli-b', 'cli-c']) {
      await app.gql('mutation($id: ID!) { createEvaluation(input: { id: $id, code: "x" }) { id } }', { id }, bearer(KEYS.write));
      await app.gql('mutation($id: ID!) { updateEvaluation(id: $id, input: { status: CANCELLED }) { status } }', { id }, bearer(KEYS.write));
    }
    await exportAll(app.registry.evaluations, app.registry.texts, dir, 'jsonl', silentProgress);
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cleanup: one record per committed batch with the removed ids, no key, one request id for the run; a dry run records nothing', async () => {
    await quietly(() => cleanupCommand(app.config, silentLogger, ['--older-than', '0s', '--dry-run']));
    assert.deepEqual(await audited('cli cleanup'), [], 'a dry run writes nothing');
    await quietly(() => cleanupCommand(app.config, silentLogger, ['--older-than', '0s', '--batch', '2']));
    const records = await audited('cli cleanup');
    assert.deepEqual(records.map((r: any) => [r.keyName, r.targetIds, r.outcome]), [[null, ['cli-a', 'cli-b'], 'ok'], [null, ['cli-c'], 'ok']]);
    assert.match(records[0].requestId, /^cli-[0-9a-f-]{36}$/);
    assert.equal(records[1].requestId, records[0].requestId, 'both batches are one run');
  });

  it('import: the imported ids; a run that fails is recorded with its outcome and the error still thrown', async () => {
    await quietly(() => importCommand(app.config, silentLogger, [dir]));
    const [imported] = await audited('cli import');
    assert.deepEqual([imported.keyName, [...imported.targetIds].sort(), imported.outcome], [null, ['cli-a', 'cli-b', 'cli-c'], 'ok']);
    await assert.rejects(quietly(() => importCommand(app.config, silentLogger, [join(dir, 'missing')])), /ENOENT/);
    const records = await audited('cli import');
    assert.equal(records.length, 2);
    assert.deepEqual([records[1].targetIds, records[1].outcome], [[], 'INTERNAL_SERVER_ERROR']);
    assert.notEqual(records[1].requestId, imported.requestId, 'each run has its own request id');
  });
});
