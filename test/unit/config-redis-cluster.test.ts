import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { redisTargetOf } from '../../src/backends/redis/connection.ts';

describe('REDIS_CLUSTER_NODES', () => {
  it('switches every Redis feature to a cluster of the given seed nodes, and turns the cache on', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-a.internal:7001,[::1]:7002' });
    assert.deepEqual(config.platform.redisCluster, {
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-a.internal', port: 7001 },
        { host: '::1', port: 7002 },
      ],
    });
    assert.equal(config.platform.redisUrl, null);
    assert.equal(config.cache.enabled, true);
    assert.deepEqual(redisTargetOf(config.platform), { kind: 'cluster', nodes: config.platform.redisCluster!.nodes });
    assert.deepEqual(redisTargetOf(loadConfig({ REDIS_URL: 'redis://h:6379' }).platform), { kind: 'server', url: 'redis://h:6379' });
    assert.equal(redisTargetOf(loadConfig({}).platform), null);
  });

  it('refuses REDIS_URL and REDIS_CLUSTER_NODES together, naming both', () => {
    assert.throws(
      () => loadConfig({ REDIS_URL: 'redis://h:6379', REDIS_CLUSTER_NODES: 'h:7000' }),
      /^StartupError: Set REDIS_URL \(one Redis server\) or REDIS_CLUSTER_NODES \(the seed nodes of a Redis Cluster\), not both\.$/,
    );
  });

  it('refuses malformed node lists with one line naming the variable', () => {
    for (const bad of ['h', 'h:', ':7000', 'h:0', 'h:65536', 'h:7000,', 'redis://h:7000', 'h:7000 h:7001', 'h:70a0', '{h}:7000x']) {
      assert.throws(() => loadConfig({ REDIS_CLUSTER_NODES: bad }), /^StartupError: Invalid REDIS_CLUSTER_NODES=.*comma-separated host:port pairs/, bad);
    }
  });
});
