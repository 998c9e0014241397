import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually } from '../support/eventually.ts';
import { startGateway, type GatewayProcess } from '../support/gateway-process.ts';
import { createTestSchema, postgresUnavailable, TEST_DATABASE_URL } from '../support/postgres.ts';
import { deleteKeysUnder, redisUnavailable, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.ts';
import { postGraphql, subscriptionClient, TRANSPORTS, values } from '../support/subscriptions.ts';

const ORDER = ['QUEUED', 'RUNNING', 'COMPLETED'];
const skip = (await postgresUnavailable()) ?? (await redisUnavailable()) ?? false;

/**
 * Two gateway processes on one PostgreSQL schema and one Redis (a key prefix of the test's own):
 * a subscriber connected to one sees every change made through the other, over both transports.
 */
describe('subscriptions across two gateway processes (real `strata serve` children)', { skip }, () => {
  it('a subscriber on one process sees mutations made through the other', async () => {
    const schema = await createTestSchema();
    const keyPrefix = testKeyPrefix();
    const env = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema.name, REDIS_URL: TEST_REDIS_URL, KEY_PREFIX: keyPrefix, STORAGE_BACKEND: 'postgres' };
    const gateways: GatewayProcess[] = [];
    try {
      gateways.push(await startGateway(env)); // the first one migrates the schema
      gateways.push(await startGateway(env));
      const [a, b] = gateways as [GatewayProcess, GatewayProcess];
      const viaB = (query: string, variables?: Record<string, unknown>) => postGraphql(b.url, query, variables);
      const { createEvaluation } = await viaB('mutation { createEvaluation(input: { code: "x" }) { id } }');
      const id = createEvaluation.id as string;

      const clients = TRANSPORTS.map((t) => subscriptionClient(t, a.url));
      const updates = clients.map((c) => c.subscribe('subscription($id: ID!) { evaluationUpdated(id: $id) { status } }', { id }));
      const logs = clients.map((c) => c.subscribe('subscription($id: ID!) { evaluationLogs(id: $id) { seq text } }', { id }));
      const running = clients.map((c) => c.subscribe('subscription { runningEvaluations { kind evaluation { id status } } }'));
      await Promise.all(updates.map((s) => s.atLeast(1))); // subscribed on A
      // runningEvaluations sends nothing until a change: report on a probe until both have heard one.
      const { createEvaluation: probe } = await viaB('mutation { createEvaluation(input: { code: "probe" }) { id } }');
      await eventually('runningEvaluations subscribed', async () => {
        await viaB('mutation($id: ID!) { markRunning(id: $id) { status } }', { id: probe.id });
        return running.every((s) => s.results.length > 0) ? true : undefined;
      });

      await viaB('mutation($id: ID!) { markRunning(id: $id, input: { host: "b" }) { status } }', { id });
      await viaB('mutation($id: ID!) { appendLogs(id: $id, lines: [{ text: "one" }, { text: "two" }]) { nextSeq } }', { id });
      await viaB('mutation($id: ID!) { updateEvaluation(id: $id, input: { status: COMPLETED }) { status } }', { id });

      await Promise.all([...updates, ...logs].map((s) => s.done));
      const ofId = (s: (typeof running)[number]) => values(s, 'runningEvaluations').filter((c) => c.evaluation.id === id);
      await eventually('three running changes', async () => (running.every((s) => ofId(s).length >= 3) ? true : undefined));
      for (const [i, transport] of TRANSPORTS.entries()) {
        // Each delivery shows the evaluation as A read it after hearing of the change: a state
        // superseded by then may be skipped, never shown out of order; the final one always comes.
        const statuses = values(updates[i]!, 'evaluationUpdated').map((e) => e.status as string);
        assert.equal(statuses[0], 'QUEUED', transport);
        assert.equal(statuses.at(-1), 'COMPLETED', transport);
        assert.deepEqual([...statuses].sort((x, y) => ORDER.indexOf(x) - ORDER.indexOf(y)), statuses, transport);
        assert.ok(statuses.length <= 4, transport);
        assert.deepEqual(values(logs[i]!, 'evaluationLogs').map((l) => `${l.seq}:${l.text}`), ['1:one', '2:two'], transport);
        assert.deepEqual(ofId(running[i]!).map((c) => `${c.kind}:${c.evaluation.status}`), ['STARTED:RUNNING', 'UPDATED:RUNNING', 'FINISHED:COMPLETED'], transport);
      }
      running.forEach((s) => s.leave());
      await Promise.all(clients.map((c) => c.close()));
    } finally {
      const codes = await Promise.all(gateways.map((g) => g.stop()));
      assert.deepEqual(codes, gateways.map(() => 0), gateways.map((g) => g.output()).join('\n'));
      await schema.drop();
      await deleteKeysUnder(keyPrefix);
    }
  });
});
