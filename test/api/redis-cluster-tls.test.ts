import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../support/eventually.ts';
import { gqlAt, post } from '../support/gateway-http.ts';
import { startGateway, type GatewayProcess } from '../support/gateway-process.ts';
import { OwnRedisCluster, redisClusterUnavailable } from '../support/redis-cluster.ts';
import { testKeyPrefix } from '../support/redis.ts';
import { subscriptionClient, values } from '../support/subscriptions.ts';
import { makeTestCertificates, opensslUnavailable, type TestCertificates } from '../support/tls.ts';

const skip = redisClusterUnavailable() ?? opensslUnavailable() ?? false;
const PASSWORD = 'tls-cluster-password-of-the-test';
const REDIS_ROLES = ['kv', 'cache', 'running', 'subscriptions'];

/**
 * REDIS_CLUSTER_TLS against a real cluster that speaks TLS only (no plain port, TLS on the cluster
 * bus too), with a certificate from a CA of the test's own for the name `localhost` only, which
 * the nodes announce (CLUSTER SLOTS names them by it), as managed clusters do: the gateway must
 * dial nodes by name, not by the address the name resolves to, or no certificate verifies. The
 * gateways are real `strata serve` processes: Node reads NODE_EXTRA_CA_CERTS, the documented way
 * to trust a private CA, only at start.
 */
describe('the gateway on a Redis Cluster that speaks TLS only (REDIS_CLUSTER_TLS)', { skip }, () => {
  let certs: TestCertificates;
  let cluster: OwnRedisCluster;
  const gateways: GatewayProcess[] = [];
  before(async () => {
    certs = makeTestCertificates(['DNS:localhost']);
    cluster = await OwnRedisCluster.start(3, { password: PASSWORD, tls: { ...certs, hostname: 'localhost' } });
  });
  after(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await cluster?.stop();
    certs?.remove();
  });

  async function gateway(env: Record<string, string>): Promise<GatewayProcess> {
    const g = await startGateway({
      STORAGE_BACKEND: 'memory',
      // By name, as a managed cluster's endpoints are given: the certificate is checked against it.
      REDIS_CLUSTER_NODES: cluster.ports.map((p) => `localhost:${p}`).join(','),
      REDIS_CLUSTER_TLS: 'true',
      REDIS_CLUSTER_PASSWORD: PASSWORD,
      KEY_PREFIX: testKeyPrefix(),
      ...env,
    });
    gateways.push(g);
    return g;
  }
  const redisHealth = async (g: GatewayProcess) => {
    const { health } = await gqlAt(g.url, {}, '{ health { status backends { role kind healthy } } }');
    return { status: health.status as string, roles: (health.backends as { role: string; healthy: boolean }[]).filter((b) => REDIS_ROLES.includes(b.role)) };
  };

  it('trusts the private CA through NODE_EXTRA_CA_CERTS and runs the Redis features over TLS, pub/sub included', async () => {
    const g = await gateway({ NODE_EXTRA_CA_CERTS: certs.caFile });
    const gql = (query: string, variables?: Record<string, unknown>) => gqlAt(g.url, {}, query, variables);
    await gql('mutation { kvPut(key: "tls", value: { ok: true }) { key } queuePush(name: "tls", item: 1) }');
    assert.deepEqual(await gql('mutation { queuePop(name: "tls") }'), { queuePop: 1 });
    assert.deepEqual((await gql('{ kv(key: "tls") { value } }')).kv, { value: { ok: true } });
    const health = await redisHealth(g);
    assert.ok(health.roles.length >= 2 && health.roles.every((r) => r.healthy), JSON.stringify(health));

    // A change published through the cluster reaches the gateway's own pub/sub connection.
    const { createEvaluation } = await gql('mutation { createEvaluation(input: { code: "x" }) { id } }');
    const client = subscriptionClient('sse', g.url);
    const updates = client.subscribe('subscription($id: ID!) { evaluationUpdated(id: $id) { status } }', { id: createEvaluation.id });
    await updates.atLeast(1);
    await gql('mutation($id: ID!) { updateEvaluation(id: $id, input: { status: CANCELLED }) { status } }', { id: createEvaluation.id });
    await updates.done;
    assert.equal(values(updates, 'evaluationUpdated').at(-1)?.status, 'CANCELLED');
    await client.close();
    const names = (await cluster.clients()).map((c) => c['name']);
    for (const name of ['strata-commands', 'strata-feed-publish', 'ioredis-cluster(subscriber):strata-feed-subscribe']) assert.ok(names.includes(name), `${name} connected (over TLS: the nodes have no plain port)`);
  });

  it('refuses nodes whose certificate it cannot verify: without the CA every Redis role is unhealthy and the KV store fails', async () => {
    const g = await gateway({});
    const kv = await post(g.url, 'mutation { kvPut(key: "tls", value: 1) { key } }');
    assert.equal(kv.body.errors?.length, 1, 'no KV without a verified connection');
    const health = await eventually('Redis reported unhealthy', async () => {
      const h = await redisHealth(g);
      return h.roles.length >= 2 && h.roles.every((r) => !r.healthy) ? h : undefined;
    });
    assert.equal(health.status, 'degraded');
  });
});
