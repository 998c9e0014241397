import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRegistry } from '../../src/backends/registry.ts';
import { loadConfig, testConfig } from '../../src/config.ts';
import { silentLogger } from '../support/app.ts';

describe('graph configuration', () => {
  it('defaults to following the primary, depth 10, 100000 visits, no ArangoDB', () => {
    assert.deepEqual(loadConfig({}).graph, { backend: null, maxDepth: 10, maxVisits: 100_000, arango: null });
  });

  it('reads ArangoDB settings, with several comma-separated coordinator URLs', () => {
    const { graph } = loadConfig({ GRAPH_BACKEND: 'arango', ARANGO_URL: 'http://a:8529, https://b:8529', ARANGO_DATABASE: 'cc_executor', ARANGO_PASSWORD: 's3cret' });
    assert.deepEqual(graph.arango, { urls: ['http://a:8529', 'https://b:8529'], database: 'cc_executor', username: 'root', password: 's3cret', poolSize: 10 });
    assert.equal(graph.backend, 'arango');
  });

  it('stops on a bad value with one line naming the variable', () => {
    assert.throws(() => loadConfig({ GRAPH_BACKEND: 'neo4j' }), /^StartupError: Invalid GRAPH_BACKEND="neo4j"/);
    assert.throws(() => loadConfig({ GRAPH_MAX_DEPTH: '0' }), /Invalid GRAPH_MAX_DEPTH="0"/);
    assert.throws(() => loadConfig({ ARANGO_URL: 'tcp://x:8529' }), /Invalid ARANGO_URL="tcp:\/\/x:8529": comma-separated http/);
    assert.throws(() => loadConfig({ ARANGO_DATABASE: 'a b' }), /Invalid ARANGO_DATABASE/);
    assert.throws(() => loadConfig({ GRAPH_BACKEND: 'arango' }), /GRAPH_BACKEND=arango needs ARANGO_URL/);
    assert.throws(() => loadConfig({ GRAPH_BACKEND: 'postgres', STORAGE_BACKEND: 'memory' }), /GRAPH_BACKEND=postgres needs a database/);
  });

  it('opens the graph where the evaluations are unless GRAPH_BACKEND says otherwise, and reports it as role graph', async () => {
    const cases = [
      [testConfig(), 'memory'],
      [testConfig({ storage: { kind: 'pglite', dataDir: null } }), 'pglite'],
      [testConfig({ storage: { kind: 'pglite', dataDir: null } }, { GRAPH_BACKEND: 'memory' }), 'memory'],
    ] as const;
    for (const [config, kind] of cases) {
      const registry = await createRegistry(config, silentLogger, { migrate: true });
      try {
        assert.equal(registry.graph.kind, kind);
        const graph = (await registry.statuses()).find((s) => s.role === 'graph');
        assert.deepEqual([graph?.kind, graph?.healthy], [kind, true]);
      } finally {
        await registry.close();
      }
    }
  });
});
