import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createRegistry } from '../../src/backends/registry.ts';
import { migrate } from '../../src/backends/postgres/index.ts';
import { testConfig } from '../../src/config.ts';
import { silentLogger } from '../support/app.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'strata-embedded-'));
const config = testConfig({ storage: { kind: 'pglite', dataDir } });
const newEvaluation = { id: 'kept', code: 'x', codeHash: 'h', language: 'python', status: 'QUEUED' as const, metadata: {}, taskId: null, createdAt: new Date() };

describe('embedded PostgreSQL (PGlite) on a data directory', () => {
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps data across a restart, and migrating again changes nothing', async () => {
    const first = await createRegistry(config, silentLogger, { migrate: true });
    await first.evaluations.insert(newEvaluation, { type: 'created', message: null, metadata: {} });
    await first.close();
    const second = await createRegistry(config, silentLogger, { migrate: true });
    assert.equal((await second.evaluations.getMany(['kept'])).get('kept')?.code, 'x');
    assert.deepEqual(await migrate(second.sql!, 'public', silentLogger), [], 'no migration runs twice');
    await second.close();
  });

  it('refuses a second process on the same data directory with a clear message', async () => {
    const holder = await createRegistry(config, silentLogger, { migrate: true });
    try {
      const child = spawnSync(process.execPath, ['bin/strata.js', 'serve'], {
        env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: '' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(child.status, 1);
      assert.match(child.stderr, /DATA_DIR .* is in use by another Strata process/);
    } finally {
      await holder.close();
    }
  });

  it('refuses to start on a database migrated by a newer Strata', async () => {
    const registry = await createRegistry(config, silentLogger, { migrate: true });
    await registry.sql!.query(`INSERT INTO strata_migrations (name, run_on) VALUES ('9999999999999_from_the_future', now())`);
    await registry.close();
    await assert.rejects(createRegistry(config, silentLogger, { migrate: true }), /migrated by a newer Strata \(migration 9999999999999_from_the_future/);
    const cleanup = await createRegistry(config, silentLogger, { migrate: false });
    await cleanup.sql!.query(`DELETE FROM strata_migrations WHERE name = '9999999999999_from_the_future'`);
    await cleanup.close();
  });
});
