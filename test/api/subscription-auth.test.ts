import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getNamedType, isObjectType, type GraphQLNamedType } from 'graphql';
import { schema } from '../../src/schema/index.ts';
import { configFor } from '../support/app.ts';
import { API_KEYS_ENV, bearer, KEYS } from '../support/keys.ts';
import { startTestServer, subscriptionClient, TRANSPORTS, values, type Received, type TestServer, type Transport } from '../support/subscriptions.ts';

const WATCH = 'subscription($id: ID!) { evaluationUpdated(id: $id) { id status } }';
const RUNNING = 'subscription { runningEvaluations { kind evaluation { id } } }';

/** The error code a refused subscription reached the client with, whichever way its transport reports it. */
async function refusal(sub: Received): Promise<string> {
  const outcome = await sub.done.then(
    () => sub.results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.['code']).join(','),
    (err: Error) => err.message,
  );
  return String(outcome);
}

describe('subscriptions enforce API keys and scopes (STRATA_API_KEYS set)', () => {
  let server: TestServer;
  const admin = (query: string, variables: Record<string, unknown>) =>
    fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(KEYS.admin) }, body: JSON.stringify({ query, variables }) }).then((r) => r.json() as Promise<any>);
  let n = 0;
  const create = async () => (await admin('mutation($id: ID!) { createEvaluation(input: { id: $id, code: "x" }) { id } }', { id: `sub-auth-${++n}` })).data.createEvaluation.id as string;
  before(async () => {
    const { config, cleanup } = await configFor('memory', {}, { STRATA_API_KEYS: API_KEYS_ENV, RATE_LIMIT_PER_SECOND: '0' });
    server = await startTestServer(config, cleanup);
  });
  after(() => server.close());

  /** SSE answers a refused subscription with an HTTP status the graphql-sse client reports without the body: read it too. */
  const sseBody = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => {
    const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers }, body: JSON.stringify({ query, variables }) });
    return { status: res.status, text: await res.text() };
  };

  for (const transport of TRANSPORTS) {
    const as = (t: Transport, key: string | null) => subscriptionClient(t, server.url, key ? bearer(key) : {});

    it(`${transport}: no key is UNAUTHENTICATED, and nothing is streamed`, async () => {
      const id = await create();
      const client = as(transport, null);
      try {
        for (const [query, variables] of [[WATCH, { id }], [RUNNING, {}]] as const) {
          const sub = client.subscribe(query, variables);
          assert.match(await refusal(sub), transport === 'ws' ? /UNAUTHENTICATED/ : /UNAUTHENTICATED|401/, query);
          assert.equal(values(sub, 'evaluationUpdated').length + values(sub, 'runningEvaluations').length, 0);
        }
      } finally {
        await client.close();
      }
      if (transport === 'sse') {
        const res = await sseBody(WATCH, { id }, {});
        assert.match(res.text, /"code":"UNAUTHENTICATED"/);
        assert.match(res.text, /Subscription\.evaluationUpdated needs an API key/);
      }
    });

    it(`${transport}: a wrong key is UNAUTHENTICATED for the whole operation`, async () => {
      const client = as(transport, `${KEYS.read}x`);
      try {
        assert.match(await refusal(client.subscribe(RUNNING)), /UNAUTHENTICATED|401/);
      } finally {
        await client.close();
      }
    });

    it(`${transport}: a write-only key is FORBIDDEN (subscriptions need read; write does not include it)`, async () => {
      const id = await create();
      const client = as(transport, KEYS.write);
      try {
        for (const [query, variables] of [[WATCH, { id }], [RUNNING, {}]] as const) {
          assert.match(await refusal(client.subscribe(query, variables)), transport === 'ws' ? /FORBIDDEN/ : /FORBIDDEN|403/, query);
        }
      } finally {
        await client.close();
      }
      if (transport === 'sse') {
        const res = await sseBody(WATCH, { id }, bearer(KEYS.write));
        assert.match(res.text, /"code":"FORBIDDEN"/);
        assert.match(res.text, /key \\"ci\\" may not use Subscription\.evaluationUpdated: it needs the read scope/);
      }
    });

    it(`${transport}: a read key receives the events`, async () => {
      const id = await create();
      const client = as(transport, KEYS.read);
      try {
        const sub = client.subscribe(WATCH, { id });
        await sub.atLeast(1);
        await admin('mutation($id: ID!) { updateEvaluation(id: $id, input: { status: RUNNING }) { id } }', { id });
        await admin('mutation($id: ID!) { updateEvaluation(id: $id, input: { status: COMPLETED }) { id } }', { id });
        await sub.done;
        assert.deepEqual(values(sub, 'evaluationUpdated').map((e) => e.status), ['QUEUED', 'RUNNING', 'COMPLETED']);
        assert.equal(sub.results.some((r) => r.errors), false);
      } finally {
        await client.close();
      }
    });
  }
});

describe('admin-only fields and subscriptions', () => {
  it('no admin-only field can be selected in a subscription payload (else it would need its own test)', () => {
    const adminOnly = (type: GraphQLNamedType) =>
      isObjectType(type) ? Object.values(type.getFields()).filter((f) => (f.extensions as { pothosOptions?: { authScopes?: { admin?: boolean } } })?.pothosOptions?.authScopes?.admin).map((f) => `${type.name}.${f.name}`) : [];
    const seen = new Set<string>();
    const found: string[] = [];
    const visit = (type: GraphQLNamedType) => {
      if (seen.has(type.name)) return;
      seen.add(type.name);
      found.push(...adminOnly(type));
      if (isObjectType(type)) for (const field of Object.values(type.getFields())) visit(getNamedType(field.type));
    };
    for (const field of Object.values(schema.getSubscriptionType()!.getFields())) visit(getNamedType(field.type));
    assert.ok(seen.has('Evaluation') && seen.size > 10, `walked ${seen.size} types`);
    assert.deepEqual(found, []);
    // The check does see admin fields where they are: on Query.
    assert.deepEqual(adminOnly(schema.getQueryType()!).sort(), ['Query.auditLog', 'Query.storage']);
  });
});
