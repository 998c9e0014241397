import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HealthDocument } from '../generated/graphql.ts';
import { createTestApp } from '../support/app.ts';
import { testKeyPrefix } from '../support/redis.ts';
import { OwnRedisServer, redisServerUnavailable } from '../support/redis-server.ts';

/**
 * Redis is only a cache for evaluations: while it is down every request is served from the
 * primary and health says "degraded"; when it is back, ioredis reconnects and the cache is used
 * again. This test stops and restarts a redis-server of its own (never the shared one).
 */
describe('evaluation cache when Redis goes away and comes back', { skip: redisServerUnavailable() ?? false }, () => {
  it('fails no request, reports degraded health, and caches again after the restart', async () => {
    const redis = await OwnRedisServer.start();
    const app = await createTestApp('pglite', {}, undefined, { REDIS_URL: redis.url, KEY_PREFIX: testKeyPrefix() });
    try {
      await app.gql('mutation { createEvaluation(input: { id: "o1", code: "x" }) { id } }');
      let version = 0;
      const failures: unknown[] = [];
      const round = async () => {
        version++;
        const write = await app.gql(`mutation { updateEvaluation(id: "o1", input: { metadata: { v: ${version} } }) { metadata } }`);
        const read = await app.gql('{ evaluation(id: "o1") { metadata } }');
        if (write.body.errors || read.body.errors) failures.push(write.body.errors ?? read.body.errors);
        else assert.equal((read.body.data.evaluation.metadata as { v: number }).v, version, 'reads see the last acknowledged write');
      };
      for (let i = 0; i < 20; i++) await round();
      await redis.stop();
      for (let i = 0; i < 20; i++) await round();
      const degraded = (await app.gql(HealthDocument, {})).body.data!.health;
      assert.equal(degraded.status, 'degraded');
      assert.equal(degraded.ok, true, 'the gateway still works without its cache');
      await redis.resume();
      const deadline = Date.now() + 10_000;
      while ((await app.gql(HealthDocument, {})).body.data!.health.status !== 'ok' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      for (let i = 0; i < 20; i++) await round();
      assert.equal((await app.gql(HealthDocument, {})).body.data!.health.status, 'ok', 'reconnected on its own');
      assert.deepEqual(failures, []);
    } finally {
      await app.close();
      await redis.stop();
    }
  });
});
