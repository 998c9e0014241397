import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { Cluster } from 'ioredis';
import { connectRedis, redisTargetOf } from '../../src/backends/redis/connection.ts';
import { silentLogger } from '../support/app.ts';

describe('REDIS_CLUSTER_NODES', () => {
  it('switches every Redis feature to a cluster of the given seed nodes, and turns the cache on', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-a.internal:7001,[::1]:7002' });
    assert.deepEqual(config.platform.redisCluster, {
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-a.internal', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      username: null,
      password: null,
      tls: false,
    });
    assert.equal(config.platform.redisUrl, null);
    assert.equal(config.cache.enabled, true);
    assert.deepEqual(redisTargetOf(config.platform), { kind: 'cluster', ...config.platform.redisCluster! });
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

  it('takes a password, an ACL user and TLS for every node', () => {
    const cluster = (env: Record<string, string>) => loadConfig({ REDIS_CLUSTER_NODES: 'h:7000', ...env }).platform.redisCluster;
    assert.deepEqual(cluster({ REDIS_CLUSTER_PASSWORD: 's3cret' }), { nodes: [{ host: 'h', port: 7000 }], username: null, password: 's3cret', tls: false });
    assert.deepEqual(cluster({ REDIS_CLUSTER_USERNAME: 'strata', REDIS_CLUSTER_PASSWORD: 'p w', REDIS_CLUSTER_TLS: 'true' }), { nodes: [{ host: 'h', port: 7000 }], username: 'strata', password: 'p w', tls: true });
    assert.equal(cluster({ REDIS_CLUSTER_TLS: '0' })!.tls, false);
  });

  it('refuses cluster credentials without a cluster, a user without a password, and bad values', () => {
    assert.throws(() => loadConfig({ REDIS_URL: 'redis://h:6379', REDIS_CLUSTER_PASSWORD: 'x' }), /^StartupError: REDIS_CLUSTER_PASSWORD apply to REDIS_CLUSTER_NODES only; with REDIS_URL put them in the URL/);
    assert.throws(() => loadConfig({ REDIS_CLUSTER_TLS: 'true', REDIS_CLUSTER_USERNAME: 'u' }), /^StartupError: REDIS_CLUSTER_USERNAME, REDIS_CLUSTER_TLS apply to REDIS_CLUSTER_NODES only/);
    assert.throws(() => loadConfig({ REDIS_CLUSTER_NODES: 'h:7000', REDIS_CLUSTER_USERNAME: 'strata' }), /^StartupError: REDIS_CLUSTER_USERNAME needs REDIS_CLUSTER_PASSWORD/);
    assert.throws(() => loadConfig({ REDIS_CLUSTER_NODES: 'h:7000', REDIS_CLUSTER_USERNAME: 'two words', REDIS_CLUSTER_PASSWORD: 'x' }), /^StartupError: Invalid REDIS_CLUSTER_USERNAME=/);
    assert.throws(() => loadConfig({ REDIS_CLUSTER_NODES: 'h:7000', REDIS_CLUSTER_TLS: 'yes' }), /^StartupError: Invalid REDIS_CLUSTER_TLS="yes"/);
    // An empty variable counts as unset, as everywhere in the config.
    assert.throws(() => loadConfig({ REDIS_CLUSTER_NODES: 'h:7000', REDIS_CLUSTER_USERNAME: 'strata', REDIS_CLUSTER_PASSWORD: '' }), /^StartupError: REDIS_CLUSTER_USERNAME needs REDIS_CLUSTER_PASSWORD/);
  });

  it('hands credentials and TLS to every node connection, and connects to TLS nodes by name', () => {
    const target = redisTargetOf(loadConfig({ REDIS_CLUSTER_NODES: 'redis.example:6380', REDIS_CLUSTER_USERNAME: 'strata', REDIS_CLUSTER_PASSWORD: 's3cret', REDIS_CLUSTER_TLS: 'true' }).platform)!;
    // Lazy: nothing is dialled, so the options can be read without a cluster.
    const redis = connectRedis(target, silentLogger, { connectionName: 'strata-test' }) as Cluster;
    try {
      assert.ok(redis instanceof Cluster);
      const { redisOptions, dnsLookup } = redis.options;
      assert.deepEqual([redisOptions?.username, redisOptions?.password, redisOptions?.tls, redisOptions?.connectionName], ['strata', 's3cret', {}, 'strata-test']);
      let resolved: string | undefined;
      dnsLookup!('redis.example', (_err, address) => (resolved = address));
      assert.equal(resolved, 'redis.example', 'the certificate is checked against the name, not a resolved address');
    } finally {
      redis.disconnect();
    }
    const plain = connectRedis(redisTargetOf(loadConfig({ REDIS_CLUSTER_NODES: 'h:7000' }).platform)!, silentLogger, { connectionName: 'strata-test' }) as Cluster;
    try {
      const { redisOptions } = plain.options;
      assert.deepEqual([redisOptions?.username, redisOptions?.password, redisOptions?.tls], [undefined, undefined, undefined]);
    } finally {
      plain.disconnect();
    }
  });
});
