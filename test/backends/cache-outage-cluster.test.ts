import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HealthDocument } from '../generated/graphql.ts';
import { createTestApp } from '../support/app.ts';
import { OwnRedisCluster, redisClusterUnavailable } from '../support/redis-cluster.ts';
import { testKeyPrefix } from '../support/redis.ts';

/**
 * cache-outage.test.ts on a Redis Cluster: every node of a cluster of the test's own is killed
 * mid-loop and started again. No request fails or hangs meanwhile (the fail-fast connections
 * refuse at once while the cluster is not ready), health says "degraded", and the gateway uses the
 * cluster again once it is back.
 */
describe('evaluation cache and running mirror when the whole Redis Cluster goes away and comes back', { skip: redisClusterUnavailable() ?? false }, () => {
  it('fails no request, reports degraded health, and uses the cluster again after the restart', async () => {
    const cluster = await OwnRedisCluster.start();
    const app = await createTestApp('pglite', {}, undefined, { REDIS_CLUSTER_NODES: cluster.nodesEnv, KEY_PREFIX: testKeyPrefix() });
    try {
      await app.gql('mutation { createEvaluation(input: { id: "o1", code: "x" }) { id } }');
      let version = 0;
      const failures: unknown[] = [];
      const round = async () => {
        version++;
        const write = await app.gql(`mutation { updateEvaluation(id: "o1", input: { metadata: { v: ${version} } }) { metadata } }`);
        const read = await app.gql('{ evaluation(id: "o1") { metadata } runningEvaluations { id } }');
        if (write.body.errors || read.body.errors) failures.push(write.body.errors ?? read.body.errors);
        else assert.equal((read.body.data.evaluation.metadata as { v: number }).v, version, 'reads see the last acknowledged write');
      };
      for (let i = 0; i < 20; i++) await round();
      await cluster.kill();
      for (let i = 0; i < 20; i++) await round();
      const degraded = (await app.gql(HealthDocument, {})).body.data!.health;
      assert.deepEqual([degraded.status, degraded.ok], ['degraded', true]);
      await cluster.restart();
      const deadline = Date.now() + 20_000;
      while ((await app.gql(HealthDocument, {})).body.data!.health.status !== 'ok' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      for (let i = 0; i < 20; i++) await round();
      assert.equal((await app.gql(HealthDocument, {})).body.data!.health.status, 'ok', 'reconnected on its own');
      assert.deepEqual(failures, []);
    } finally {
      await app.close();
      await cluster.stop();
    }
  });
});
