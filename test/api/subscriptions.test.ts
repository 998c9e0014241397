import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configFor } from '../support/app.ts';
import { memoryServer, startTestServer, subscriptionClient, TRANSPORTS, values, type Received, type SubscriptionClient, type TestServer } from '../support/subscriptions.ts';

const CREATE = 'mutation($id: ID) { createEvaluation(input: { id: $id, code: "print(1)" }) { id } }';
const SET_STATUS = 'mutation($id: ID!, $status: EvaluationStatus!) { updateEvaluation(id: $id, input: { status: $status }) { status } }';
const MARK_RUNNING = 'mutation($id: ID!) { markRunning(id: $id, input: { host: "w1" }) { status } }';
const APPEND = 'mutation($id: ID!, $lines: [LogLineInput!]!) { appendLogs(id: $id, lines: $lines) { nextSeq } }';
const ADD_EVENT = 'mutation($id: ID!, $type: String!) { addEvent(evaluationId: $id, type: $type) { id } }';

let n = 0;
const freshId = () => `eval_20240701_120000_sub${String(++n).padStart(3, '0')}`;

for (const transport of TRANSPORTS) {
  describe(`subscriptions over ${transport === 'sse' ? 'GraphQL over SSE (graphql-sse)' : 'WebSocket (graphql-ws)'}`, () => {
    let server: TestServer;
    let client: SubscriptionClient;
    before(async () => {
      server = await memoryServer();
      client = subscriptionClient(transport, server.url);
    });
    after(async () => {
      await client.close();
      await server.close();
    });
    const create = async () => (await server.gql(CREATE, { id: freshId() })).createEvaluation.id as string;

    it('evaluationUpdated: the current state, each change, then the final state and complete', async () => {
      const id = await create();
      const sub = client.subscribe('subscription($id: ID!) { evaluationUpdated(id: $id) { id status running { host } } }', { id });
      await sub.atLeast(1);
      await server.gql(MARK_RUNNING, { id });
      await server.gql(SET_STATUS, { id, status: 'COMPLETED' });
      await sub.done;
      const seen = values(sub, 'evaluationUpdated');
      // markRunning on a QUEUED evaluation: the status change, then the worker's report.
      assert.deepEqual(seen.map((e) => e.status), ['QUEUED', 'RUNNING', 'RUNNING', 'COMPLETED']);
      assert.equal(seen[2].running.host, 'w1');
      assert.equal(seen[3].running, null);
    });

    it('evaluationEvents: the stored timeline, then new events, once each; resumes after an event id', async () => {
      const id = await create();
      await server.gql(ADD_EVENT, { id, type: 'one' });
      const sub = client.subscribe('subscription($id: ID!) { evaluationEvents(id: $id) { id type } }', { id });
      await sub.atLeast(2);
      await server.gql(ADD_EVENT, { id, type: 'two' });
      await server.gql(SET_STATUS, { id, status: 'RUNNING' });
      await server.gql(SET_STATUS, { id, status: 'FAILED' });
      await sub.done;
      const events = values(sub, 'evaluationEvents');
      assert.deepEqual(events.map((e) => e.type), ['created', 'one', 'two', 'status_changed', 'status_changed']);
      const resumed = client.subscribe('subscription($id: ID!, $after: ID) { evaluationEvents(id: $id, afterId: $after) { type } }', { id, after: events[1].id });
      await resumed.done;
      assert.deepEqual(values(resumed, 'evaluationEvents').map((e) => e.type), ['two', 'status_changed', 'status_changed']);
    });

    it('evaluationLogs: replays from fromSeq, streams new lines, completes when the evaluation finishes', async () => {
      const id = await create();
      await server.gql(APPEND, { id, lines: [{ text: 'a' }, { text: 'b' }, { text: 'c' }] });
      const sub = client.subscribe('subscription($id: ID!) { evaluationLogs(id: $id, fromSeq: 2) { seq text } }', { id });
      await sub.atLeast(2);
      await server.gql(MARK_RUNNING, { id });
      await server.gql(APPEND, { id, lines: [{ text: 'd' }, { text: 'e' }] });
      await server.gql(SET_STATUS, { id, status: 'COMPLETED' });
      await sub.done;
      assert.deepEqual(values(sub, 'evaluationLogs').map((l) => `${l.seq}${l.text}`), ['2b', '3c', '4d', '5e']);
    });

    it('runningEvaluations: STARTED, UPDATED for reports and changes, FINISHED', async () => {
      const sub = client.subscribe('subscription { runningEvaluations { kind evaluation { id status running { host } } } }');
      await new Promise((resolve) => setTimeout(resolve, 50)); // no event confirms a subscription before its first change
      const id = await create();
      await server.gql(MARK_RUNNING, { id });
      await server.gql('mutation($id: ID!) { updateEvaluation(id: $id, input: { retries: 1 }) { id } }', { id });
      await server.gql(SET_STATUS, { id, status: 'COMPLETED' });
      await sub.atLeast(4);
      sub.leave();
      const changes = values(sub, 'runningEvaluations').filter((c) => c.evaluation.id === id);
      assert.deepEqual(changes.map((c) => `${c.kind}:${c.evaluation.status}`), ['STARTED:RUNNING', 'UPDATED:RUNNING', 'UPDATED:RUNNING', 'FINISHED:COMPLETED']);
      assert.equal(changes[1].evaluation.running.host, 'w1');
    });

    it('metricPoints: points of the names asked for, in order; completes when the evaluation finishes', async () => {
      const id = await create();
      const sub = client.subscribe('subscription($id: ID!) { metricPoints(evaluationId: $id, names: ["loss"]) { name value step } }', { id });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const points = [1, 2, 3].flatMap((step) => [{ name: 'loss', value: 1 / step, step }, { name: 'acc', value: step / 10, step }]);
      await server.gql('mutation($id: ID!, $points: [MetricInput!]!) { recordMetrics(evaluationId: $id, points: $points) }', { id, points });
      await server.gql(SET_STATUS, { id, status: 'CANCELLED' });
      await sub.done;
      assert.deepEqual(values(sub, 'metricPoints').map((p) => `${p.name}@${p.step}`), ['loss@1', 'loss@2', 'loss@3']);
    });

    it('a subscription to an evaluation that does not exist is NOT_FOUND, then completes', async () => {
      for (const query of [
        'subscription { evaluationUpdated(id: "eval_missing") { id } }',
        'subscription { evaluationEvents(id: "eval_missing") { id } }',
        'subscription { evaluationLogs(id: "eval_missing") { seq } }',
        'subscription { metricPoints(evaluationId: "eval_missing") { name } }',
      ]) {
        const sub = client.subscribe(query);
        await sub.done;
        assert.equal(sub.results.length, 1, query);
        assert.equal(sub.results[0]!.errors?.[0]?.extensions?.['code'], 'NOT_FOUND', query);
      }
    });
  });
}

describe('shutdown', () => {
  it('completes every open subscription, over SSE and WebSocket, and the server stops', async () => {
    const server = await memoryServer();
    const id = (await server.gql(CREATE, { id: freshId() })).createEvaluation.id as string;
    const clients = TRANSPORTS.map((t) => subscriptionClient(t, server.url));
    const subs = clients.map((c) => c.subscribe('subscription($id: ID!) { evaluationLogs(id: $id) { seq } }', { id }));
    await Promise.all(subs.map(() => new Promise((resolve) => setTimeout(resolve, 100))));
    assert.equal(server.config.subscriptions.buffer > 0, true);
    await server.close();
    await Promise.all(subs.map((s) => s.done));
    assert.deepEqual(subs.map((s) => s.completed), [true, true]);
    await Promise.all(clients.map((c) => c.close()));
  });
});

describe('API keys on subscriptions (the check in createContext, for both transports)', () => {
  it('takes the key from connectionParams over WebSocket and from the Authorization header over SSE', async () => {
    const { config, cleanup } = await configFor('memory', {}, { STRATA_API_KEYS: 'dashboard:dash-secret-0123456789abcdef:read' });
    const server = await startTestServer(config, cleanup);
    const query = 'subscription { evaluationUpdated(id: "eval_missing") { id } }';
    const code = (r: Received) => r.results[0]?.errors?.[0]?.extensions?.['code'];
    try {
      for (const transport of TRANSPORTS) {
        const keyed = subscriptionClient(transport, server.url, { authorization: 'Bearer dash-secret-0123456789abcdef' });
        const withKey = keyed.subscribe(query);
        await withKey.done;
        assert.equal(code(withKey), 'NOT_FOUND', transport); // past the key check, to the resolver
        await keyed.close();
        const anonymous = subscriptionClient(transport, server.url);
        const withoutKey = anonymous.subscribe(query);
        const refused = await withoutKey.done.then(() => code(withoutKey), (err: Error) => err.message);
        assert.match(String(refused), /UNAUTHENTICATED|401/, transport);
        await anonymous.close();
      }
    } finally {
      await server.close();
    }
  });
});
