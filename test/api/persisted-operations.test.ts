import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { configFor, createTestApp, type TestApp } from '../support/app.ts';
import { startTestServer, subscriptionClient, TRANSPORTS, type TestServer } from '../support/subscriptions.ts';

const ENV = { PERSISTED_OPERATIONS_ONLY: 'true' };
const manifest = JSON.parse(readFileSync('persisted-documents.json', 'utf8')) as Record<string, string>;
const hashOf = (name: string) => Object.entries(manifest).find(([, text]) => new RegExp(`^(query|mutation|subscription) ${name}\\b`).test(text))![0];
const persisted = (name: string, variables?: Record<string, unknown>) => ({ operationName: name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(name) } } });
const codes = (body: { errors?: { extensions?: { code?: string } }[] }) => body.errors?.map((e) => e.extensions?.code) ?? [];

describe('PERSISTED_OPERATIONS_ONLY=true over HTTP', () => {
  let app: TestApp;
  before(async () => (app = await createTestApp('memory', {}, undefined, ENV)));
  after(() => app.close());
  const post = async (body: unknown) => {
    const res = await app.yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer admin-key-0123456789abcdef012' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('runs an operation of the manifest sent by its hash', async () => {
    const created = await post(persisted('CreateEvaluation', { input: { id: 'po-1', code: 'print(1)' } }));
    assert.deepEqual(created.body.errors, undefined);
    const read = await post(persisted('GetEvaluation', { id: 'po-1' }));
    assert.equal(read.status, 200);
    assert.deepEqual({ id: read.body.data.evaluation.id, code: read.body.data.evaluation.code }, { id: 'po-1', code: 'print(1)' });
  });

  it('refuses query text, even a harmless one, with PERSISTED_QUERY_ONLY (400), and runs nothing', async () => {
    for (const query of ['{ health { ok } }', 'mutation { createEvaluation(input: { id: "po-text", code: "x" }) { id } }', manifest[hashOf('Health')]!]) {
      const res = await post({ query });
      assert.equal(res.status, 400, query);
      assert.deepEqual(codes(res.body), ['PERSISTED_QUERY_ONLY']);
      assert.match(res.body.errors[0].message, /only persisted operations \(PERSISTED_OPERATIONS_ONLY=true\).*sha256Hash/);
    }
    const res = await post(persisted('GetEvaluation', { id: 'po-text' }));
    assert.equal(res.body.data.evaluation, null, 'the mutation sent as text did not run');
    const both = await post({ ...persisted('Health'), query: '{ storage { fallbackPending } }' });
    assert.deepEqual(codes(both.body), ['PERSISTED_QUERY_ONLY'], 'text next to a hash is refused too');
  });

  it('refuses an unknown hash with PERSISTED_QUERY_NOT_IN_LIST and a request with neither with PERSISTED_QUERY_ID_REQUIRED', async () => {
    for (const hash of ['0'.repeat(64), 'not-a-hash', hashOf('Health').toUpperCase()]) {
      const res = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
      assert.equal(res.status, 400);
      assert.deepEqual(codes(res.body), ['PERSISTED_QUERY_NOT_IN_LIST'], hash);
      assert.match(res.body.errors[0].message, /No persisted operation has this sha256Hash/);
    }
    const none = await post({ variables: {} });
    assert.deepEqual(codes(none.body), ['PERSISTED_QUERY_ID_REQUIRED']);
  });

  it('runs every operation of the manifest (the project\'s own clients: test documents, REST routes, strata/client and the explorer)', async () => {
    const kinds = { query: 0, mutation: 0, subscription: 0 };
    for (const [hash, text] of Object.entries(manifest)) {
      const kind = /^(query|mutation|subscription)/.exec(text)![1] as keyof typeof kinds;
      kinds[kind]++;
      const body = { extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables: {} };
      if (kind === 'subscription') {
        // Over SSE: a refusal is a 400 before anything runs; a subscription that runs opens its
        // stream (200; without its variables it then reports the coercion error in it). The
        // first chunk is read (yoga starts the stream there) and the stream is left.
        const res = await app.yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: 'Bearer admin-key-0123456789abcdef012' }, body: JSON.stringify(body) });
        const reader = res.body!.getReader();
        const first = new TextDecoder().decode((await reader.read()).value);
        await reader.cancel();
        assert.equal(res.status, 200, `${text.slice(0, 60)}: ${res.status} ${first.slice(0, 300)}`);
        assert.doesNotMatch(first, /"code":"PERSISTED_/, text.slice(0, 60));
        continue;
      }
      const res = await post(body);
      // Without variables most of them fail to coerce: what matters is that none is refused.
      assert.ok(!codes(res.body).some((c) => c?.startsWith('PERSISTED_')), `${text.slice(0, 60)}: ${JSON.stringify(res.body).slice(0, 300)}`);
    }
    assert.ok(kinds.subscription >= 5, `the manifest has the client's subscriptions (${JSON.stringify(kinds)})`);
    const health = await post(persisted('Health'));
    assert.equal(health.body.data.health.ok, true);
    const get = await app.yoga.fetch(`http://yoga/graphql?extensions=${encodeURIComponent(JSON.stringify(persisted('Health').extensions))}`, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1', authorization: 'Bearer admin-key-0123456789abcdef012' } });
    assert.equal(((await get.json()) as any).data.health.ok, true, 'by hash over GET too');
  });
});

describe('PERSISTED_OPERATIONS_ONLY=true over WebSocket and SSE', () => {
  let server: TestServer;
  before(async () => {
    const { config, cleanup } = await configFor('memory', {}, ENV);
    server = await startTestServer(config, cleanup);
  });
  after(() => server.close());

  for (const transport of TRANSPORTS) {
    it(`${transport}: refuses text that is not in the manifest (graphql-ws sends no hash, so WebSocket checked the text nowhere before)`, async () => {
      const client = subscriptionClient(transport, server.url);
      try {
        for (const query of ['subscription { runningEvaluations { kind } }', 'mutation { createEvaluation(input: { id: "po-ws", code: "x" }) { id } }', '{ storage { fallbackPending } }']) {
          const sub = client.subscribe(query);
          const outcome = await sub.done.then(() => JSON.stringify(sub.results), (err: Error) => err.message);
          // graphql-sse reports only the status of a refused stream; its body is checked below.
          assert.match(outcome, transport === 'ws' ? /PERSISTED_QUERY_ONLY/ : /Server responded with 400/, `${query}: ${outcome}`);
        }
        if (transport === 'sse') {
          const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query: 'subscription { runningEvaluations { kind } }' }) });
          assert.equal(res.status, 400);
          assert.match(await res.text(), /"code":"PERSISTED_QUERY_ONLY"/);
        }
      } finally {
        await client.close();
      }
      const check = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(persisted('GetEvaluation', { id: 'po-ws' })) });
      assert.equal(((await check.json()) as any).data.evaluation, null, 'the mutation did not run');
    });
  }

  it('ws: runs a subscription of the manifest (strata/client\'s) sent as its exact text, to its end', async () => {
    const post = (body: unknown) => fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
    assert.equal((await post(persisted('CreateEvaluation', { input: { id: 'po-sub', code: 'x' } }))).data.createEvaluation.id, 'po-sub');
    for (const status of ['RUNNING', 'COMPLETED']) assert.equal((await post(persisted('UpdateEvaluation', { id: 'po-sub', input: { status } }))).data.updateEvaluation.status, status);
    const client = subscriptionClient('ws', server.url);
    try {
      const sub = client.subscribe(manifest[hashOf('OnEvaluationUpdated')]!, { id: 'po-sub' });
      await sub.done; // a finished evaluation: its state now, then the server completes the stream
      assert.equal(sub.completed, true);
      assert.deepEqual(sub.results.map((r) => [r.errors, (r.data as any)?.evaluationUpdated.status]), [[undefined, 'COMPLETED']]);
    } finally {
      await client.close();
    }
  });

  it('ws: runs a manifest operation sent as its exact text', async () => {
    const client = subscriptionClient('ws', server.url);
    try {
      const sub = client.subscribe(manifest[hashOf('Health')]!);
      await sub.done;
      assert.equal(sub.results.length, 1);
      assert.equal(sub.results[0]!.errors, undefined, JSON.stringify(sub.results));
      assert.equal((sub.results[0]!.data as any).health.ok, true);
    } finally {
      await client.close();
    }
  });
});
