import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { envVariableNames, loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('defaults to the embedded database under ./data', () => {
    const config = loadConfig({});
    assert.deepEqual(config.storage, { kind: 'pglite', dataDir: './data' });
    assert.equal(config.port, 4000);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@h/db', DATABASE_SCHEMA: 'strata' });
    assert.deepEqual(config.storage, { kind: 'postgres', url: 'postgres://u@h/db', schema: 'strata', poolMax: 10 });
  });

  it('stops on a bad value with one line naming the variable', () => {
    assert.throws(() => loadConfig({ PORT: 'http' }), /^StartupError: Invalid PORT="http": /);
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /Invalid DATABASE_URL="mysql:\/\/x": .*postgres:\/\//);
    assert.throws(() => loadConfig({ DATABASE_SCHEMA: 'Robert"); DROP' }), /Invalid DATABASE_SCHEMA/);
    assert.throws(() => loadConfig({ DEFAULT_PAGE_SIZE: '600' }), /DEFAULT_PAGE_SIZE=600: must not exceed MAX_PAGE_SIZE/);
  });

  it('is documented: the README lists every variable', () => {
    const readme = readFileSync('README.md', 'utf8');
    const missing = envVariableNames.filter((name) => !readme.includes(`\`${name}\``));
    assert.deepEqual(missing, []);
  });
});
