import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Database } from 'arangojs';
import { arangoDatabaseOptions } from '../../src/backends/arango/options.ts';
import { loadConfig } from '../../src/config.ts';

const arangoOf = (env: Record<string, string>) => loadConfig({ GRAPH_BACKEND: 'arango', ...env }).graph.arango!;

/** The options the gateway hands arangojs (no ArangoDB runs here: nothing is sent). */
describe('ArangoDB connection options', () => {
  it('spreads requests round-robin over several coordinator URLs, with the configured pool', () => {
    const options = arangoDatabaseOptions(arangoOf({ ARANGO_URL: 'http://coord-1:8529, http://coord-2:8529,https://coord-3:8529', ARANGO_POOL_SIZE: '24' }));
    assert.deepEqual(options, {
      url: ['http://coord-1:8529', 'http://coord-2:8529', 'https://coord-3:8529'],
      databaseName: 'strata',
      auth: { username: 'root', password: '' },
      loadBalancingStrategy: 'ROUND_ROBIN',
      poolSize: 24,
    });
  });

  it('uses one URL as it is, and sets the pool explicitly (10, not arangojs\'s 3)', () => {
    const options = arangoDatabaseOptions(arangoOf({ ARANGO_URL: 'http://arango:8529', ARANGO_PASSWORD: 's3cret' }));
    assert.deepEqual([options.url, options.loadBalancingStrategy, options.poolSize, options.auth], [['http://arango:8529'], 'NONE', 10, { username: 'root', password: 's3cret' }]);
  });

  it('arangojs takes them: one host per coordinator, round-robin, the pool size as its task limit', () => {
    const db = new Database(arangoDatabaseOptions(arangoOf({ ARANGO_URL: 'http://coord-1:8529,http://coord-2:8529', ARANGO_POOL_SIZE: '7' })));
    try {
      // Connection internals, read only to prove the options reached arangojs under these names.
      const connection = (db as unknown as { _connection: { _hostUrls: string[]; _loadBalancingStrategy: string; _taskPoolSize: number } })._connection;
      assert.deepEqual([connection._hostUrls, connection._loadBalancingStrategy, connection._taskPoolSize], [['http://coord-1:8529/', 'http://coord-2:8529/'], 'ROUND_ROBIN', 7]);
    } finally {
      db.close();
    }
  });

  it('refuses a pool size out of range, naming the variable', () => {
    for (const bad of ['0', '1001', 'many']) assert.throws(() => arangoOf({ ARANGO_URL: 'http://a:8529', ARANGO_POOL_SIZE: bad }), /^StartupError: Invalid ARANGO_POOL_SIZE=/);
  });
});
