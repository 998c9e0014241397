import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createStrataClient, ExplorerEvaluationDocument, ExplorerStorageDocument, StrataClientError, type StrataClient } from 'strata/client';
import { configFor } from '../support/app.ts';
import { followToTheEnd } from '../support/client-streams.ts';
import { API_KEYS_ENV, KEYS } from '../support/keys.ts';
import { startTestServer, type TestServer } from '../support/subscriptions.ts';

// strata/client (src/client) against a real gateway over HTTP with API keys, imported through
// the package's "exports" like a worker would.
describe('strata/client', () => {
  let server: TestServer;
  let worker: StrataClient;
  before(async () => {
    const { config, cleanup } = await configFor('memory', {}, { STRATA_API_KEYS: API_KEYS_ENV, RATE_LIMIT_PER_SECOND: '0' });
    server = await startTestServer(config, cleanup);
    worker = createStrataClient({ url: server.url, apiKey: KEYS.worker });
  });
  after(async () => {
    worker.close();
    await server.close();
  });

  it('runs the worker calls: create, start, logs, metrics, finish', async () => {
    const created = await worker.createEvaluation({ code: 'print(1)', language: 'python' });
    assert.equal(created.status, 'QUEUED');
    const running = await worker.markRunning(created.id, { host: 'w1' });
    assert.equal(running.status, 'RUNNING');
    assert.deepEqual(await worker.appendLogs(created.id, ['one', { text: 'two', stream: 'stderr' }]), { nextSeq: 3, stored: 2 });
    assert.equal(await worker.recordMetrics(created.id, [{ name: 'loss', value: 0.5, step: 1 }, { name: 'loss', value: 0.25, step: 2 }]), 2);
    const done = await worker.updateStatus(created.id, 'COMPLETED', { output: 'ok' });
    assert.equal(done.status, 'COMPLETED');
    assert.ok(done.runtimeMs !== null && done.completedAt, `runtimeMs ${done.runtimeMs}, completedAt ${done.completedAt}`);

    const { evaluation } = await worker.request(ExplorerEvaluationDocument, { id: created.id, logTail: 10, metricsLast: 10 });
    assert.deepEqual(evaluation?.logs.lines.map((l) => [l.seq, l.stream, l.text]), [[1, 'stdout', 'one'], [2, 'stderr', 'two']]);
    assert.deepEqual(evaluation?.metrics.map((m) => m.value), [0.5, 0.25]);
    assert.equal(evaluation?.output?.preview, 'ok');
    assert.deepEqual(evaluation?.events.edges.map((e) => e.node.type), ['created', 'status_changed', 'status_changed']);
  });

  it('streams logs and updates until the evaluation finishes (SSE), each once', async () => {
    const { id } = await worker.createEvaluation({ code: 'print(2)' });
    await worker.markRunning(id);
    await worker.appendLogs(id, ['a']);
    const { lines, statuses } = await followToTheEnd(worker, id);
    assert.deepEqual(lines, ['a', 'b']);
    assert.equal(statuses.at(-1), 'COMPLETED');
  });

  it('subscribe with callbacks: runningChanges via the generic subscribe, and leaving', async () => {
    const { OnRunningEvaluationsDocument } = await import('strata/client');
    const kinds: string[] = [];
    let leave = () => {};
    const seen = new Promise<void>((resolve, reject) => {
      leave = worker.subscribe(OnRunningEvaluationsDocument, {}, {
        next: (r) => {
          kinds.push(`${r.runningEvaluations.kind}:${r.runningEvaluations.evaluation.status}`);
          if (r.runningEvaluations.kind === 'FINISHED') resolve();
        },
        error: reject,
      });
    });
    const { id } = await worker.createEvaluation({ code: 'print(3)' });
    // The subscription is registered once its stream opened; a change before then is not "missed":
    // keep reporting until the first change arrives.
    await worker.markRunning(id);
    while (kinds.length === 0) await worker.markRunning(id, { host: 'w2' });
    await worker.updateStatus(id, 'COMPLETED');
    await seen;
    leave();
    assert.equal(kinds.at(-1), 'FINISHED:COMPLETED');
  });

  describe('errors are StrataClientError with extensions.code', () => {
    it('a bad key: UNAUTHENTICATED (401) for requests and subscriptions', async () => {
      const intruder = createStrataClient({ url: server.url, apiKey: 'not-a-key-0123456789abcdef0' });
      const refused = await intruder.createEvaluation({ code: 'x' }).then(() => null, (e: unknown) => e);
      assert.ok(refused instanceof StrataClientError, String(refused));
      assert.equal(refused.code, 'UNAUTHENTICATED');
      assert.equal(refused.status, 401);
      assert.match(refused.message, /key/i);

      const stream = intruder.logLines('eval_20240701_120000_nothere');
      const streamed = await stream.next().then(() => null, (e: unknown) => e);
      assert.ok(streamed instanceof StrataClientError, String(streamed));
      assert.equal(streamed.code, 'UNAUTHENTICATED');
      assert.equal(streamed.status, 401);
      intruder.close();
    });

    it('no key: UNAUTHENTICATED; a read key writing or reading admin fields: FORBIDDEN', async () => {
      const anonymous = createStrataClient({ url: server.url });
      await assert.rejects(anonymous.createEvaluation({ code: 'x' }), (e: StrataClientError) => e.code === 'UNAUTHENTICATED');
      const reader = createStrataClient({ url: server.url, apiKey: () => KEYS.read });
      await assert.rejects(reader.createEvaluation({ code: 'x' }), (e: StrataClientError) => e.code === 'FORBIDDEN');
      await assert.rejects(reader.request(ExplorerStorageDocument), (e: StrataClientError) => e.code === 'FORBIDDEN' && e.errors.length >= 1);
    });

    it('user errors: BAD_USER_INPUT, NOT_FOUND, INVALID_TRANSITION; a subscription to an unknown id ends with NOT_FOUND', async () => {
      await assert.rejects(worker.createEvaluation({ code: 'x', id: '../../etc/passwd' }), (e: StrataClientError) => e.code === 'BAD_USER_INPUT');
      await assert.rejects(worker.appendLogs('eval_20240701_120000_nothere', ['x']), (e: StrataClientError) => e.code === 'NOT_FOUND');
      const { id } = await worker.createEvaluation({ code: 'print(4)' });
      await assert.rejects(worker.updateStatus(id, 'COMPLETED'), (e: StrataClientError) => e.code === 'INVALID_TRANSITION' && /QUEUED/.test(e.message));
      const updates = worker.evaluationUpdates('eval_20240701_120000_nothere');
      await assert.rejects(updates.next(), (e: StrataClientError) => e.code === 'NOT_FOUND');
    });

    it('no server: NETWORK_ERROR', async () => {
      const lost = createStrataClient({ url: 'http://127.0.0.1:9/graphql' });
      await assert.rejects(lost.createEvaluation({ code: 'x' }), (e: StrataClientError) => e instanceof StrataClientError && e.code === 'NETWORK_ERROR');
    });
  });
});
