import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { testConfig } from '../../src/config.ts';
import { eventually } from '../support/eventually.ts';
import { TEST_REDIS_URL } from '../support/redis.ts';
import { createRunningApp, runningTargets, type RunningTestApp } from '../support/running.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** An SSE subscription through yoga.fetch, in-process: nothing reads its body until the test does. */
async function sse(app: RunningTestApp, query: string, variables: Record<string, unknown>) {
  const res = await app.yoga.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query, variables }),
  });
  return res.body!;
}

/** Every `next` event of an SSE body, read to its end. */
async function readAll(body: ReadableStream<Uint8Array>): Promise<any[]> {
  const text = await new Response(body).text();
  return [...text.matchAll(/^event: next\ndata: (.*)$/gm)].map((m) => JSON.parse(m[1]!));
}

const LOGS = 'subscription($id: ID!) { evaluationLogs(id: $id) { seq } }';
const APPEND = 'mutation($id: ID!) { appendLogs(id: $id, lines: [{ text: "x" }]) { nextSeq } }';

async function runningEvaluation(app: RunningTestApp): Promise<string> {
  const { body } = await app.gql('mutation { createEvaluation(input: { code: "x" }) { id } }');
  const id = body.data.createEvaluation.id as string;
  await app.gql('mutation($id: ID!) { markRunning(id: $id) { status } }', { id });
  return id;
}

describe('a stalled subscriber overflows its own buffer and holds nobody up', () => {
  it('ends with SUBSCRIPTION_OVERFLOW and the fromSeq to resume from, while the other gets every line', async () => {
    const app = await createRunningApp('memory', { subscriptions: { ...testConfig().subscriptions, buffer: 3 } });
    try {
      const id = await runningEvaluation(app);
      const stalled = await sse(app, LOGS, { id });
      const active = await sse(app, LOGS, { id });
      const reading = readAll(active);
      for (let i = 0; i < 10; i++) await app.gql(APPEND, { id });
      // The stalled subscriber's listener is released as soon as it overflows.
      await eventually('the overflow', async () => (app.registry.feed.openCount() === 1 ? true : undefined));
      await app.gql('mutation($id: ID!) { updateEvaluation(id: $id, input: { status: COMPLETED }) { status } }', { id });
      assert.deepEqual((await reading).map((r) => r.data.evaluationLogs.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const results = await readAll(stalled);
      const lines = results.filter((r) => r.data).map((r) => r.data.evaluationLogs.seq);
      const error = results.at(-1).errors[0];
      assert.equal(error.extensions.code, 'SUBSCRIPTION_OVERFLOW');
      assert.deepEqual(lines, Array.from({ length: lines.length }, (_, i) => i + 1));
      assert.deepEqual(error.extensions.resume, { id, fromSeq: lines.length + 1 });
    } finally {
      await app.close();
    }
  });
});

const SUBSCRIBERS = 1000;

/**
 * The heap once what is still in flight has finished: the least of a few samples after full
 * collections (Redis and database buffers come and go between samples; a leak stays in all).
 */
async function settledHeap(): Promise<number> {
  let least = Infinity;
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    gc();
    gc();
    least = Math.min(least, process.memoryUsage().heapUsed);
  }
  return least;
}

for (const target of (await runningTargets()).filter((t) => t === 'memory' || t === 'postgres+redis')) {
  describe(`${SUBSCRIBERS} subscribers connect and leave (${target})`, () => {
    it('leaves no subscription, no Redis channel and no heap behind', async () => {
      const app = await createRunningApp(target);
      const redis = app.keyPrefix ? new Redis(TEST_REDIS_URL) : null;
      const channels = async () => (redis ? ((await redis.pubsub('CHANNELS', `${app.keyPrefix}*`)) as string[]).length : 0);
      try {
        const ids = await Promise.all(Array.from({ length: 10 }, () => runningEvaluation(app)));
        const round = async () => {
          const bodies = await Promise.all(
            Array.from({ length: SUBSCRIBERS }, (_, i) =>
              i % 2 ? sse(app, LOGS, { id: ids[(i >> 1) % ids.length] }) : sse(app, 'subscription { runningEvaluations { kind } }', {}),
            ),
          );
          assert.equal(app.registry.feed.openCount(), SUBSCRIBERS);
          assert.equal(await channels(), redis ? ids.length + 1 : 0);
          // A client that leaves: its stream is cancelled (after the first bytes, as over HTTP).
          await Promise.all(bodies.map(async (body) => {
            const reader = body.getReader();
            await reader.read();
            await reader.cancel();
          }));
          await eventually('every subscription released', async () => (app.registry.feed.openCount() === 0 && (await channels()) === 0 ? true : undefined));
        };
        // Two rounds warm up what is built once (compiled code, caches); a leak grows with every round after.
        await round();
        await round();
        const before = await settledHeap();
        for (let i = 0; i < 3; i++) await round();
        const grown = (await settledHeap()) - before;
        assert.ok(grown < 4 * 1024 * 1024, `heap grew by ${(grown / 1024 / 1024).toFixed(1)} MiB after ${3 * SUBSCRIBERS} subscribers left`);
      } finally {
        redis?.disconnect();
        await app.close();
      }
    });
  });
}
