import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HealthDocument } from '../generated/graphql.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { sampleOf } from '../support/gateway-http.ts';
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
    const prefix = testKeyPrefix();
    const app = await createTestApp('pglite', {}, undefined, { REDIS_CLUSTER_NODES: cluster.nodesEnv, KEY_PREFIX: prefix });
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
      await servedByTheCluster(app, cluster, prefix);
      await cluster.kill();
      const errorsBefore = await lookups(app, 'error');
      for (let i = 0; i < 20; i++) await round();
      assert.ok((await lookups(app, 'error')) >= errorsBefore + 20, 'each read tried the cache and fell back to the primary');
      const degraded = (await app.gql(HealthDocument, {})).body.data!.health;
      assert.deepEqual([degraded.status, degraded.ok], ['degraded', true]);
      await cluster.restart();
      const deadline = Date.now() + 20_000;
      while ((await app.gql(HealthDocument, {})).body.data!.health.status !== 'ok' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      for (let i = 0; i < 20; i++) await round();
      assert.equal((await app.gql(HealthDocument, {})).body.data!.health.status, 'ok', 'reconnected on its own');
      await servedByTheCluster(app, cluster, prefix);
      assert.deepEqual(failures, []);
    } finally {
      await app.close();
      await cluster.stop();
    }
  });
});

/** strata_cache_lookups_total{result} of this process, from GET /metrics. */
async function lookups(app: TestApp, result: 'hit' | 'miss' | 'error'): Promise<number> {
  return sampleOf(await (await app.yoga.fetch('http://yoga/metrics')).text(), 'strata_cache_lookups_total', { result });
}

/**
 * The gateway really uses the cluster (health "ok" alone would not tell it from a silent fallback
 * to the primary): repeated reads are cache hits, the cached evaluation and the running set's
 * "built" marker are keys on the cluster, and the running mirror reports its set complete.
 */
async function servedByTheCluster(app: TestApp, cluster: OwnRedisCluster, prefix: string): Promise<void> {
  const before = await lookups(app, 'hit');
  for (let i = 0; i < 3; i++) await app.gql('{ evaluation(id: "o1") { id } }');
  assert.ok((await lookups(app, 'hit')) >= before + 2, 'reads after the first are cache hits');
  // After a restart the mirror rebuilds in the background (on reconnect): wait for its marker.
  const expected = [`${prefix}cache:{eval:o1}`, `${prefix}{running}:built`];
  await eventually(`${expected.join(' and ')} on the cluster`, async () => {
    const keys = await cluster.keysUnder(prefix);
    return expected.every((k) => keys.includes(k)) ? true : undefined;
  });
  const { health } = (await app.gql('{ health { backends { role kind metrics } } }')).body.data;
  const running = health.backends.find((b: { role: string }) => b.role === 'running');
  assert.deepEqual([running.kind, running.metrics.complete], ['redis', true], JSON.stringify(running));
}
