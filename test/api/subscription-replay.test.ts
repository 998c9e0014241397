import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runningTargets } from '../support/running.ts';
import { serverFor, subscriptionClient, TRANSPORTS, values } from '../support/subscriptions.ts';

const APPEND = 'mutation($id: ID!, $lines: [LogLineInput!]!) { appendLogs(id: $id, lines: $lines) { nextSeq } }';
const LOGS = 'subscription($id: ID!, $from: Int) { evaluationLogs(id: $id, fromSeq: $from) { seq } }';
const APPENDS = 30;
const LINES_PER_APPEND = 4;
const SUBSCRIBERS = 12;

/**
 * The replay/stream switch-over: subscribers join at every moment of a log being written by two
 * concurrent appenders, each from a different fromSeq, and each must receive every line from its
 * fromSeq to the end exactly once, in order.
 */
for (const target of await runningTargets()) {
  describe(`evaluationLogs switch-over with appends racing the subscribe (${target})`, () => {
    it(`${SUBSCRIBERS} subscribers, ${APPENDS} appends of ${LINES_PER_APPEND} lines: no gap, no duplicate`, async () => {
      const server = await serverFor(target);
      const clients = TRANSPORTS.map((t) => subscriptionClient(t, server.url));
      try {
        const { createEvaluation } = await server.gql('mutation { createEvaluation(input: { code: "x" }) { id } }');
        const id = createEvaluation.id as string;
        await server.gql('mutation($id: ID!) { markRunning(id: $id) { status } }', { id });
        let appended = 0;
        const appender = async () => {
          while (appended < APPENDS) {
            appended++;
            await server.gql(APPEND, { id, lines: Array.from({ length: LINES_PER_APPEND }, (_, i) => ({ text: `line ${i}` })) });
          }
        };
        const subscribers: { from: number; received: ReturnType<(typeof clients)[number]['subscribe']> }[] = [];
        const joiner = async () => {
          for (let i = 0; i < SUBSCRIBERS; i++) {
            // Join while lines are being written; start anywhere in what may already be stored.
            const from = 1 + ((i * 7) % Math.max(1, appended * LINES_PER_APPEND));
            subscribers.push({ from, received: clients[i % clients.length]!.subscribe(LOGS, { id, from }) });
            await new Promise((resolve) => setImmediate(resolve));
            await server.gql('{ health { ok } }');
          }
        };
        await Promise.all([appender(), appender(), joiner()]);
        await server.gql('mutation($id: ID!) { updateEvaluation(id: $id, input: { status: COMPLETED }) { status } }', { id });
        await Promise.all(subscribers.map((s) => s.received.done));
        const total = APPENDS * LINES_PER_APPEND;
        for (const { from, received } of subscribers) {
          const seqs = values(received, 'evaluationLogs').map((l) => l.seq as number);
          assert.deepEqual(seqs, Array.from({ length: total - from + 1 }, (_, i) => from + i), `subscriber from ${from}`);
        }
      } finally {
        await Promise.all(clients.map((c) => c.close()));
        await server.close();
      }
    });
  });
}
