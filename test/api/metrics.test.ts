import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../support/eventually.ts';
import { sampleOf } from '../support/gateway-http.ts';
import { postgresUnavailable } from '../support/postgres.ts';
import { deleteKeysUnder, redisUnavailable, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { memoryServer, subscriptionClient, type SubscriptionClient, type TestServer } from '../support/subscriptions.ts';

const CREATE = 'mutation($id: ID) { createEvaluation(input: { id: $id, code: "x" }) { id } }';


const skip = (await postgresUnavailable()) ?? (await redisUnavailable());

describe('GET /metrics (PostgreSQL and the Redis cache)', { skip: skip ?? false }, () => {
  let app: TestApp;
  const prefix = testKeyPrefix();
  const scrape = async () => {
    const res = await app.yoga.fetch('http://yoga/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return res.text();
  };
  before(async () => {
    app = await createTestApp('postgres', {}, undefined, { REDIS_URL: TEST_REDIS_URL, KEY_PREFIX: prefix });
    for (const id of ['m-1', 'm-2', 'm-3']) await app.gql(`mutation { createEvaluation(input: { id: "${id}", code: "x" }) { id } }`);
  });
  after(async () => {
    await app.close();
    await deleteKeysUnder(prefix);
  });

  it('counts operations by name and outcome, with their latency', async () => {
    const before = await scrape();
    const ok = { operation: 'Three', type: 'query', outcome: 'ok' };
    for (let i = 0; i < 3; i++) await app.gql('query Three { evaluations { totalCount } }');
    await app.gql('query Broken { evaluation(id: "../x") { id } }');
    await app.gql('query Invalid { nope }');
    await app.gql('{ evaluations(');
    const text = await scrape();
    const delta = (name: string, labels: Record<string, string>) => sampleOf(text, name, labels) - sampleOf(before, name, labels);
    assert.equal(delta('strata_graphql_operations_total', ok), 3);
    assert.equal(delta('strata_graphql_operation_duration_seconds_count', ok), 3);
    assert.equal(delta('strata_graphql_operations_total', { operation: 'Broken', outcome: 'BAD_USER_INPUT' }), 1);
    assert.equal(delta('strata_graphql_operations_total', { operation: 'Invalid', outcome: 'GRAPHQL_VALIDATION_FAILED' }), 1);
    assert.equal(delta('strata_graphql_operations_total', { operation: '(unparsed)', outcome: 'GRAPHQL_PARSE_FAILED' }), 1);
  });

  it('reports DataLoader batch sizes, cache hits and misses, and the pool', async () => {
    const before = await scrape();
    const query = '{ a: evaluation(id: "m-1") { id } b: evaluation(id: "m-2") { id } c: evaluation(id: "m-3") { id } }';
    await app.gql(query);
    await app.gql(query);
    const text = await scrape();
    const delta = (name: string, labels: Record<string, string>) => sampleOf(text, name, labels) - sampleOf(before, name, labels);
    assert.equal(delta('strata_dataloader_batch_size_count', { loader: 'evaluation' }), 2, 'one batch per request');
    assert.equal(delta('strata_dataloader_batch_size_sum', { loader: 'evaluation' }), 6, 'three ids per batch');
    assert.equal(delta('strata_cache_lookups_total', { result: 'hit' }) + delta('strata_cache_lookups_total', { result: 'miss' }), 6);
    assert.ok(delta('strata_cache_lookups_total', { result: 'hit' }) >= 3, 'the second request reads what the first filled');
    assert.equal(sampleOf(text, 'strata_db_pool_connections', { state: 'max' }) >= 5, true);
    assert.ok(sampleOf(text, 'strata_db_pool_connections', { state: 'total' }) >= 1);
  });

  it('has the gauges and process metrics (the journal depth is proved in test/failover/failover.test.ts)', async () => {
    const text = await scrape();
    assert.match(text, /^strata_fallback_journal_depth 0$/m, 'no journal in front of this PostgreSQL: nothing waits');
    assert.ok(text.includes('# TYPE strata_active_subscriptions gauge'));
    assert.ok(text.includes('strata_process_resident_memory_bytes'), 'process metrics too');
  });
});

describe('strata_active_subscriptions over a real server', () => {
  let server: TestServer;
  let client: SubscriptionClient;
  const active = async () => sampleOf(await (await fetch(server.url.replace(/\/graphql$/, '/metrics'))).text(), 'strata_active_subscriptions');
  before(async () => {
    server = await memoryServer();
    client = subscriptionClient('sse', server.url);
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  it('rises by one for each subscription streaming and falls when each ends, by the client or the server', async () => {
    const at = await active();
    const ids = await Promise.all(['m-sub-1', 'm-sub-2'].map(async (id) => (await server.gql(CREATE, { id })).createEvaluation.id as string));
    const subs = ids.map((id) => client.subscribe('subscription($id: ID!) { evaluationUpdated(id: $id) { status } }', { id }));
    for (const sub of subs) await sub.atLeast(1); // each has sent its first state: it is streaming
    assert.equal(await active(), at + 2);
    subs[0]!.leave();
    await eventually('the left subscription to end on the server', async () => ((await active()) === at + 1 ? true : undefined));
    await server.gql('mutation($id: ID!) { updateEvaluation(id: $id, input: { status: CANCELLED }) { status } }', { id: ids[1] });
    await subs[1]!.done;
    await eventually('the completed subscription to be counted out', async () => ((await active()) === at ? true : undefined));
  });
});
