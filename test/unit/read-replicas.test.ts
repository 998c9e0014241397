import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatLsn, parseLsn } from '../../src/backends/postgres/lsn.ts';
import { createMemoryRecentWriters } from '../../src/backends/read-your-writes.ts';
import { loadConfig } from '../../src/config.ts';

describe('read replica configuration (DATABASE_READ_URL)', () => {
  it('is off by default and takes one or more standby URLs next to DATABASE_URL', () => {
    assert.equal(loadConfig({}).readReplicas, null);
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@primary/db' }).readReplicas, null);
    const config = loadConfig({ DATABASE_URL: 'postgres://u@primary/db', DATABASE_READ_URL: 'postgres://u@r1/db, postgresql://u:p@r2:5433/db' });
    assert.deepEqual(config.readReplicas, { urls: ['postgres://u@r1/db', 'postgresql://u:p@r2:5433/db'], readYourWritesMs: 1000 });
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://p/db', DATABASE_READ_URL: 'postgres://r/db', DATABASE_READ_YOUR_WRITES_MS: '0' }).readReplicas?.readYourWritesMs, 0);
  });

  it('stops the start with one clear line when the replicas cannot work', () => {
    assert.throws(() => loadConfig({ DATABASE_READ_URL: 'postgres://r/db' }), /^StartupError: DATABASE_READ_URL needs DATABASE_URL/);
    assert.throws(() => loadConfig({ STORAGE_BACKEND: 'memory', DATABASE_URL: 'postgres://p/db', DATABASE_READ_URL: 'postgres://r/db' }), /DATABASE_READ_URL needs DATABASE_URL/);
    assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://p/db', DATABASE_READ_URL: 'mysql://r/db' }), /^StartupError: Invalid DATABASE_READ_URL="mysql:\/\/r\/db": comma-separated postgres:\/\//);
    assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://p/db', DATABASE_READ_URL: 'postgres://r/db,,' }), /Invalid DATABASE_READ_URL/);
    assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://p/db', DATABASE_READ_URL: 'postgres://r/db', DATABASE_READ_YOUR_WRITES_MS: '-1' }), /Invalid DATABASE_READ_YOUR_WRITES_MS/);
  });
});

describe('consistency tokens (WAL positions)', () => {
  it('orders like the log and round-trips', () => {
    assert.ok(parseLsn('0/16B3748')! < parseLsn('0/16B3749')!);
    assert.ok(parseLsn('0/FFFFFFFF')! < parseLsn('1/0')!);
    assert.equal(formatLsn(parseLsn('16/B374D848')!), '16/B374D848');
    assert.equal(parseLsn('ffffffff/ffffffff'), (1n << 64n) - 1n);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '0', '0/', '/0', '0/0/0', '-1/0', '0/G', '123456789/0', ' 0/0', "0/0'--", '0x1/0']) assert.equal(parseLsn(bad), null, bad);
  });
});

describe('read-your-writes window in one process', () => {
  it('holds for the writer only, and only until it ends', async () => {
    const writers = createMemoryRecentWriters(60_000);
    await writers.mark('ci');
    assert.equal(await writers.wroteRecently('ci'), true);
    assert.equal(await writers.wroteRecently('dashboard'), false);
    const expired = createMemoryRecentWriters(0);
    await expired.mark('ci');
    assert.equal(await expired.wroteRecently('ci'), false);
  });
});
