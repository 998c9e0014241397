import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { postgresUnavailable } from '../support/postgres.ts';
import { OwnRedisServer, redisServerUnavailable } from '../support/redis-server.ts';
import { serverFor, subscriptionClient, values, type TestServer } from '../support/subscriptions.ts';

const APPEND = 'mutation($id: ID!, $text: String!) { appendLogs(id: $id, lines: [{ text: $text }]) { nextSeq } }';
const LOGS = 'subscription($id: ID!, $from: Int) { evaluationLogs(id: $id, fromSeq: $from) { seq } }';
const EVENTS = 'subscription($id: ID!) { evaluationEvents(id: $id) { type } }';
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Redis pub/sub is at-most-once: what is published while the gateway's subscriber connection is
 * down is lost. The database is the truth, so open subscriptions catch up when Redis comes back,
 * and a client that resubscribes from the last seq it saw gets exactly what it missed.
 */
describe('subscriptions across a Redis restart (a private redis-server, stopped mid-stream)', { skip: (await postgresUnavailable()) ?? redisServerUnavailable() ?? false }, () => {
  let redis: OwnRedisServer;
  let server: TestServer;
  before(async () => {
    redis = await OwnRedisServer.start();
    server = await serverFor('postgres+redis', {}, redis.url);
  });
  after(async () => {
    await server?.close();
    await redis?.stop();
  });

  it('open subscriptions get every line and event once; a resubscribe from the last seq gets the rest', async () => {
    const sse = subscriptionClient('sse', server.url);
    const ws = subscriptionClient('ws', server.url);
    const { createEvaluation } = await server.gql('mutation { createEvaluation(input: { code: "x" }) { id } }');
    const id = createEvaluation.id as string;
    await server.gql('mutation($id: ID!) { markRunning(id: $id) { status } }', { id });
    const overSse = sse.subscribe(LOGS, { id });
    const overWs = ws.subscribe(LOGS, { id });
    const events = sse.subscribe(EVENTS, { id });
    const leaving = ws.subscribe(LOGS, { id });
    const running = sse.subscribe('subscription { runningEvaluations { kind } }');
    for (let n = 1; n <= 5; n++) await server.gql(APPEND, { id, text: `line ${n}` });
    await Promise.all([overSse.atLeast(5), overWs.atLeast(5), leaving.atLeast(5), events.atLeast(2)]);
    leaving.leave();
    const lastSeen = Math.max(...values(leaving, 'evaluationLogs').map((l) => l.seq as number));

    await redis.stop();
    for (let n = 6; n <= 10; n++) await server.gql(APPEND, { id, text: `line ${n}` }); // published into the void
    await server.gql('mutation($id: ID!) { addEvent(evaluationId: $id, type: "during-outage") { id } }', { id });
    await redis.resume();
    for (let n = 11; n <= 15; n++) await server.gql(APPEND, { id, text: `line ${n}` });
    await server.gql('mutation($id: ID!) { updateEvaluation(id: $id, input: { status: COMPLETED }) { status } }', { id });

    await Promise.all([overSse.done, overWs.done, events.done, running.done]);
    // The running set has no cursor: its subscribers are told to start over.
    assert.equal(running.results.at(-1)?.errors?.[0]?.extensions?.['code'], 'SUBSCRIPTION_INTERRUPTED');
    assert.deepEqual(values(overSse, 'evaluationLogs').map((l) => l.seq), range(1, 15));
    assert.deepEqual(values(overWs, 'evaluationLogs').map((l) => l.seq), range(1, 15));
    assert.deepEqual(values(events, 'evaluationEvents').map((e) => e.type), ['created', 'status_changed', 'during-outage', 'status_changed']);
    const resumed = ws.subscribe(LOGS, { id, from: lastSeen + 1 });
    await resumed.done;
    assert.deepEqual(values(resumed, 'evaluationLogs').map((l) => l.seq), range(lastSeen + 1, 15));
    await Promise.all([sse.close(), ws.close()]);
  });
});
