import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import * as generated from 'strata/client';
import { createStrataClient, ExplorerEvaluationDocument, ExplorerStatusCountsDocument, OnRunningEvaluationsDocument, StrataClientError, type StrataClient } from 'strata/client';
import { configFor } from '../support/app.ts';
import { followToTheEnd } from '../support/client-streams.ts';
import { API_KEYS_ENV, KEYS } from '../support/keys.ts';
import { startTestServer, type TestServer } from '../support/subscriptions.ts';

// strata/client with `persistedOperations: true` against a real gateway with
// PERSISTED_OPERATIONS_ONLY=true and API keys: every helper, the explorer's queries and the
// subscriptions (SSE) run by hash. The same client without the option is refused, which proves
// the mode is on and the successes went by hash, not by text.
const manifest = JSON.parse(readFileSync('persisted-documents.json', 'utf8')) as Record<string, string>;
const documents = Object.entries(generated).filter(([name, value]) => name.endsWith('Document') && value instanceof String) as [string, { __meta__?: { hash?: string } }][];

describe('strata/client by hash against PERSISTED_OPERATIONS_ONLY=true', () => {
  let server: TestServer;
  let worker: StrataClient;
  before(async () => {
    const { config, cleanup } = await configFor('memory', {}, { PERSISTED_OPERATIONS_ONLY: 'true', STRATA_API_KEYS: API_KEYS_ENV, RATE_LIMIT_PER_SECOND: '0' });
    server = await startTestServer(config, cleanup);
    worker = createStrataClient({ url: server.url, apiKey: KEYS.worker, persistedOperations: true });
  });
  after(async () => {
    worker.close();
    await server.close();
  });

  it('every generated operation carries the hash of its manifest entry (subscriptions included)', () => {
    const kinds = documents.map(([name, doc]) => {
      const hash = doc.__meta__?.hash;
      assert.equal(typeof hash, 'string', `${name} has a hash`);
      const text = manifest[hash!];
      assert.equal(typeof text, 'string', `${name}'s hash is in persisted-documents.json`);
      const [, kind, opName] = /^(query|mutation|subscription) (\w+)/.exec(text!)!;
      assert.equal(`${opName}Document`, name, `${name}'s hash names its own operation`);
      return kind;
    });
    assert.deepEqual({ query: kinds.filter((k) => k === 'query').length, mutation: kinds.filter((k) => k === 'mutation').length, subscription: kinds.filter((k) => k === 'subscription').length }, { query: 9, mutation: 6, subscription: 5 });
  });

  it('without persistedOperations the same call is refused: PERSISTED_QUERY_ONLY', async () => {
    const plain = createStrataClient({ url: server.url, apiKey: KEYS.worker });
    try {
      const refused = await plain.createEvaluation({ code: 'x' }).then(() => null, (e: unknown) => e);
      assert.equal(refused instanceof StrataClientError && refused.code, 'PERSISTED_QUERY_ONLY', String(refused));
      const stream = await plain.runningChanges().next().then(() => null, (e: unknown) => e);
      assert.equal(stream instanceof StrataClientError && stream.code, 'PERSISTED_QUERY_ONLY', `a subscription too: ${String(stream)}`);
    } finally {
      plain.close();
    }
  });

  it('runs the worker helpers (create, start, logs, metrics, event, status), then the explorer queries read them back', async () => {
    const created = await worker.createEvaluation({ code: 'print(1)', language: 'python' });
    assert.equal(created.status, 'QUEUED');
    assert.equal((await worker.markRunning(created.id, { host: 'w1' })).status, 'RUNNING');
    assert.deepEqual(await worker.appendLogs(created.id, ['one', { text: 'two', stream: 'stderr' }]), { nextSeq: 3, stored: 2 });
    assert.equal(await worker.recordMetrics(created.id, [{ name: 'loss', value: 0.5, step: 1 }]), 1);
    assert.equal((await worker.addEvent(created.id, 'checkpoint', 'saved')).type, 'checkpoint');
    assert.equal((await worker.updateStatus(created.id, 'COMPLETED', { output: 'ok' }, { idempotencyKey: `done-${created.id}` })).status, 'COMPLETED');

    const { evaluation } = await worker.request(ExplorerEvaluationDocument, { id: created.id, logTail: 10, metricsLast: 10 });
    assert.deepEqual(evaluation?.logs.lines.map((l) => l.text), ['one', 'two']);
    assert.deepEqual(evaluation?.metrics.map((m) => m.value), [0.5]);
    assert.deepEqual(evaluation?.events.edges.map((e) => e.node.type), ['created', 'status_changed', 'checkpoint', 'status_changed']);
    const counts = await worker.request(ExplorerStatusCountsDocument, { language: 'python' });
    assert.equal(counts.completed.totalCount, 1);
  });

  it('subscribes by hash over SSE: log lines and updates until the evaluation finishes, running changes by callback', async () => {
    const { id } = await worker.createEvaluation({ code: 'print(2)' });
    await worker.markRunning(id);
    await worker.appendLogs(id, ['a']);
    const kinds: string[] = [];
    let connected = () => {};
    const open = new Promise<void>((resolve) => (connected = resolve));
    const finished = new Promise<void>((resolve, reject) => {
      const leave = worker.subscribe(OnRunningEvaluationsDocument, {}, {
        next: ({ runningEvaluations: change }) => {
          if (change.evaluation.id !== id) return;
          kinds.push(change.kind);
          if (change.kind === 'FINISHED') resolve(leave());
        },
        error: reject,
        connected,
      });
    });
    await Promise.race([open, finished]); // changes from here on reach it
    const [{ lines, statuses }] = await Promise.all([followToTheEnd(worker, id), finished]);
    assert.deepEqual(lines, ['a', 'b']);
    assert.equal(statuses.at(-1), 'COMPLETED');
    assert.equal(kinds.at(-1), 'FINISHED');
  });
});
