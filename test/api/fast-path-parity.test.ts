import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createRegistry, type Registry } from '../../src/backends/registry.ts';
import { testConfig } from '../../src/config.ts';
import { isFastPathRequest, requestListener } from '../../src/http/fast-path.ts';
import { createStrataYoga } from '../../src/yoga.ts';
import { silentLogger } from '../support/app.ts';
import { KEYS } from '../support/keys.ts';

/**
 * The fast path (src/http/fast-path.ts) must answer exactly as yoga's full path. Two gateways with
 * the same configuration, one with GRAPHQL_FAST_PATH on and one off, get the same requests in the
 * same order; status, the headers a client acts on, and the body must be equal (request ids, which
 * are random unless the client sends one, are compared by shape).
 */

const KEYS_ENV = `dashboard:${KEYS.read}:read,ci:${KEYS.write}:write,ops:${KEYS.admin}:admin`;
const FRAMING = ['date', 'connection', 'keep-alive'];
// Content-Length vs chunked is compared too: a chunked answer costs the server three socket buffers.
const HEADERS_THAT_MATTER = ['content-length', 'transfer-encoding', 'content-type', 'retry-after', 'www-authenticate', 'allow', 'accept', 'access-control-allow-origin', 'vary', 'idempotency-replayed'];

interface Gateway {
  url: string;
  registry: Registry;
  server: Server;
}

async function startGateway(enabled: boolean, env: NodeJS.ProcessEnv): Promise<Gateway> {
  const config = testConfig({}, env);
  const registry = await createRegistry(config, silentLogger, { migrate: true });
  const yoga = createStrataYoga({ config, registry, logger: silentLogger });
  const server = createServer(requestListener(yoga, { enabled, graphqlEndpoint: '/graphql', maxRequestBytes: config.security.query.maxRequestBytes }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, registry, server };
}

async function stopGateway(g: Gateway): Promise<void> {
  await new Promise((resolve) => g.server.close(resolve));
  await g.registry.close();
}

interface Case {
  name: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** A string is sent as it is; anything else as JSON. */
  body?: unknown;
  /** Whether the fast path takes it (checked against isFastPathRequest, so the table tests both paths). */
  fast: boolean;
}

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/** node:http instead of fetch: fetch would add its own accept and content-length handling. */
function send(base: string, c: Case): Promise<Answer> {
  const body = c.body === undefined ? undefined : typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
  const headers: Record<string, string> = { ...(c.headers ?? {}) };
  if (body !== undefined && !('content-length' in headers) && !('transfer-encoding' in headers)) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${c.path ?? '/graphql'}`, { method: c.method ?? 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const picked = Object.fromEntries(HEADERS_THAT_MATTER.map((h) => [h, res.headers[h] as string | undefined]));
        picked['(names)'] = Object.keys(res.headers).filter((h) => !FRAMING.includes(h)).sort().join(',');
        resolve({ status: res.statusCode!, headers: picked, body: text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The seconds a 429 names (header, message, extension) count down from each server's own bucket,
 * filled when it started: they may differ by one across a second boundary, so they are taken out
 * and compared within one second.
 */
function retryAfterOf(a: Answer): { answer: Answer; seconds: number } {
  const seconds = Number(a.headers['retry-after'] ?? 0);
  const body = a.body.replace(/retry after \d+ s/, 'retry after <n> s').replace(/"retryAfterSeconds":\d+/, '"retryAfterSeconds":"<n>"');
  return { answer: { ...a, body, headers: { ...a.headers, 'retry-after': a.headers['retry-after'] && '<n>' } }, seconds };
}

/** Random request ids (UUIDs) are compared by shape; ids the client chose stay as they are. */
// REST bodies carry the id twice: `request_id` (seed 004's clients) and extensions.requestId.
const normalise = (a: Answer): Answer => ({ ...a, body: a.body.replace(/"(requestId|request_id)":"[0-9a-f-]{36}"/g, '"$1":"<uuid>"') });

const JSON_TYPE = { 'content-type': 'application/json' };
const read = { ...JSON_TYPE, authorization: `Bearer ${KEYS.read}` };
const write = { ...JSON_TYPE, authorization: `Bearer ${KEYS.write}` };
const admin = { ...JSON_TYPE, authorization: `Bearer ${KEYS.admin}` };
const deep = `{ evaluation(id: "a") { ${'dependencies { '.repeat(0)}id } }`;

const CASES: Case[] = [
  { name: 'mutation (write key)', headers: write, body: { query: 'mutation { createEvaluation(input: { id: "p-1", code: "print(1)" }) { id status language codeHash } }' }, fast: true },
  { name: 'mutation with variables', headers: write, body: { query: 'mutation C($i: CreateEvaluationInput!) { createEvaluation(input: $i) { id status } }', variables: { i: { id: 'p-2', code: 'x' } }, operationName: 'C' }, fast: true },
  { name: 'query by id', headers: read, body: { query: 'query E($id: ID!) { evaluation(id: $id) { id code status runtimeMs metadata } }', variables: { id: 'p-1' } }, fast: true },
  { name: 'list query', headers: read, body: { query: '{ evaluations(first: 5) { totalCount edges { node { id status } } } }' }, fast: true },
  { name: 'not found', headers: write, body: { query: 'mutation { deleteEvaluation(id: "nope") { id } }' }, fast: true },
  { name: 'charset in content type', headers: { ...read, 'content-type': 'application/json; charset=utf-8' }, body: { query: '{ health { ok } }' }, fast: true },
  { name: 'accept application/json', headers: { ...read, accept: 'application/json' }, body: { query: '{ health { ok } }' }, fast: true },
  { name: 'accept graphql-response+json, validation error', headers: { ...read, accept: 'application/graphql-response+json' }, body: { query: '{ nope }' }, fast: true },
  { name: 'accept */*', headers: { ...read, accept: '*/*' }, body: { query: '{ health { ok } }' }, fast: true },
  { name: 'accept that nothing serves (406)', headers: { ...read, accept: 'application/xml' }, body: { query: '{ health { ok } }' }, fast: true },
  { name: 'validation error', headers: read, body: { query: '{ evaluation(id: "p-1") { nope } }' }, fast: true },
  { name: 'parse error', headers: read, body: { query: '{ evaluation(id: "p-1") { id ' }, fast: true },
  { name: 'bad JSON', headers: read, body: '{"query": ', fast: true },
  { name: 'JSON null', headers: read, body: 'null', fast: true },
  { name: 'JSON string', headers: read, body: '"{ health { ok } }"', fast: true },
  { name: 'empty body', headers: read, body: '', fast: true },
  { name: 'missing query', headers: read, body: { variables: {} }, fast: true },
  { name: 'query not a string', headers: read, body: { query: 42 }, fast: true },
  { name: 'variables not an object', headers: read, body: { query: '{ health { ok } }', variables: 'x' }, fast: true },
  { name: 'unexpected parameter', headers: read, body: { query: '{ health { ok } }', foo: 1 }, fast: true },
  { name: 'extensions passed', headers: read, body: { query: '{ health { ok } }', extensions: { x: 1 } }, fast: true },
  { name: 'unknown operation name', headers: read, body: { query: 'query A { health { ok } } query B { health { ok } }', operationName: 'C' }, fast: true },
  { name: 'two operations, no name', headers: read, body: { query: 'query A { health { ok } } query B { health { ok } }' }, fast: true },
  { name: 'variable of the wrong type', headers: read, body: { query: 'query L($n: Int) { evaluations(first: $n) { totalCount } }', variables: { n: 'ten' } }, fast: true },
  { name: 'missing required variable', headers: read, body: { query: 'query E($id: ID!) { evaluation(id: $id) { id } }' }, fast: true },
  { name: 'DateTime variable in the wrong format', headers: read, body: { query: 'query S($f: DateTime) { statistics(from: $f) { total } }', variables: { f: '2024-01-01' } }, fast: true },
  { name: 'page size below the minimum', headers: read, body: { query: '{ evaluations(first: -1) { totalCount } }' }, fast: true },
  { name: 'no key', headers: JSON_TYPE, body: { query: '{ health { ok } }' }, fast: true },
  { name: 'no key on a mutation', headers: JSON_TYPE, body: { query: 'mutation { deleteEvaluation(id: "p-2") { id } }' }, fast: true },
  { name: 'wrong key', headers: { ...JSON_TYPE, authorization: 'Bearer not-a-key' }, body: { query: '{ health { ok } }' }, fast: true },
  { name: 'read key on a mutation (403)', headers: read, body: { query: 'mutation { deleteEvaluation(id: "p-2") { id } }' }, fast: true },
  { name: 'write key on an admin field', headers: write, body: { query: '{ storage { fallbackPending } }' }, fast: true },
  { name: 'depth over MAX_QUERY_DEPTH', headers: read, body: { query: '{ evaluations { edges { node { events { edges { node { type } } } } } } }' }, fast: true },
  { name: 'aliases over MAX_ALIASES', headers: read, body: { query: '{ a: health { ok } b: health { ok } c: health { ok } d: health { ok } }' }, fast: true },
  { name: 'cost over MAX_QUERY_COST', headers: read, body: { query: '{ evaluations(first: 300) { edges { node { id } } } }' }, fast: true },
  { name: 'cost with variables over the limit, twice', headers: read, body: { query: 'query L($n: Int) { evaluations(first: $n) { edges { node { id } } } }', variables: { n: 300 } }, fast: true },
  { name: 'cost with variables within the limit, twice (cached cost)', headers: read, body: { query: 'query L($n: Int) { evaluations(first: $n) { edges { node { id } } } }', variables: { n: 1 } }, fast: true },
  { name: 'cost with variables over the limit after a cached cost', headers: read, body: { query: 'query L($n: Int) { evaluations(first: $n) { edges { node { id } } } }', variables: { n: 400 } }, fast: true },
  { name: 'cost of a document with two variables', headers: read, body: { query: 'query L($n: Int, $f: DateTime) { evaluations(first: $n) { edges { node { id } } } statistics(from: $f) { total } }', variables: { n: 1, f: '2024-01-01T00:00:00Z' } }, fast: true },
  { name: 'cost cached, other variables do not coerce', headers: read, body: { query: 'query L($n: Int, $f: DateTime) { evaluations(first: $n) { edges { node { id } } } statistics(from: $f) { total } }', variables: { n: 1, f: 'x' } }, fast: true },
  { name: 'tokens over MAX_TOKENS', headers: read, body: { query: `{ health { ${'ok '.repeat(400)} } }` }, fast: true },
  { name: 'brackets nested too deep', headers: read, body: { query: `{ health ${'('.repeat(300)} }` }, fast: true },
  { name: 'batch of two', headers: read, body: [{ query: '{ health { ok } }' }, { query: '{ evaluations { totalCount } }' }], fast: true },
  { name: 'batch over MAX_BATCH_SIZE', headers: read, body: [1, 2, 3].map(() => ({ query: '{ health { ok } }' })), fast: true },
  { name: 'empty batch', headers: read, body: [], fast: true },
  { name: 'body over MAX_REQUEST_BYTES', headers: read, body: { query: `{ health { ok } } ${'#'.repeat(9000)}` }, fast: false },
  { name: 'chunked body', headers: { ...read, 'transfer-encoding': 'chunked' }, body: { query: '{ health { ok } }' }, fast: false },
  { name: 'client request id', headers: { ...read, 'x-request-id': 'parity-1' }, body: { query: '{ nope }' }, fast: true },
  { name: 'subscription over plain POST', headers: { ...read, accept: 'application/json' }, body: { query: 'subscription { evaluationUpdated(id: "p-1") { id } }' }, fast: true },
  { name: 'introspection', headers: read, body: { query: '{ __schema { queryType { name } } }' }, fast: true },
  { name: 'text/plain without CSRF header', headers: { 'content-type': 'text/plain', authorization: `Bearer ${KEYS.read}` }, body: { query: '{ health { ok } }' }, fast: false },
  { name: 'text/plain with CSRF header', headers: { 'content-type': 'text/plain', 'x-graphql-yoga-csrf': '1' }, body: { query: '{ health { ok } }' }, fast: false },
  { name: 'form post without CSRF header', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7Bhealth%7Bok%7D%7D', fast: false },
  { name: 'no content type', headers: { authorization: `Bearer ${KEYS.read}` }, body: { query: '{ health { ok } }' }, fast: false },
  { name: 'application/graphql+json', headers: { ...read, 'content-type': 'application/graphql+json' }, body: { query: '{ health { ok } }' }, fast: false },
  { name: 'with an Origin (CORS)', headers: { ...read, origin: 'https://example.com' }, body: { query: '{ health { ok } }' }, fast: false },
  { name: 'SSE accept', headers: { ...read, accept: 'text/event-stream' }, body: { query: '{ health { ok } }' }, fast: false },
  { name: 'query string on the endpoint', path: '/graphql?x=1', headers: read, body: { query: '{ health { ok } }' }, fast: false },
  { name: 'GET', method: 'GET', path: '/graphql?query=%7Bhealth%7Bok%7D%7D', headers: { authorization: `Bearer ${KEYS.read}`, accept: 'application/json' }, fast: false },
  { name: 'GET mutation', method: 'GET', path: '/graphql?query=mutation%7BdeleteEvaluation(id:%22x%22)%7Bid%7D%7D', headers: { authorization: `Bearer ${KEYS.write}`, accept: 'application/json' }, fast: false },
  { name: 'PUT', method: 'PUT', headers: write, body: { query: '{ health { ok } }' }, fast: false },
  { name: 'other route', method: 'POST', path: '/evaluations', headers: write, body: { query: '{ health { ok } }' }, fast: false },
  { name: 'idempotency key', headers: { ...write, 'idempotency-key': 'parity-key-1' }, body: { query: 'mutation { createEvaluation(input: { id: "p-3", code: "print(3)" }) { id status } }' }, fast: false },
  { name: 'admin query', headers: admin, body: { query: '{ auditLog(first: 5) { edges { node { keyName operation targetIds outcome } } } }' }, fast: true },
];

const COMMON_ENV = {
  STRATA_API_KEYS: KEYS_ENV,
  RATE_LIMIT_PER_SECOND: '0',
  MAX_QUERY_DEPTH: '5',
  MAX_ALIASES: '3',
  MAX_QUERY_COST: '500',
  MAX_TOKENS: '300',
  MAX_BATCH_SIZE: '2',
  MAX_REQUEST_BYTES: '8192',
  INTROSPECTION: 'false',
};

describe('the fast path answers exactly as yoga (GRAPHQL_FAST_PATH on vs off)', () => {
  let fast: Gateway;
  let full: Gateway;
  before(async () => {
    [fast, full] = await Promise.all([startGateway(true, COMMON_ENV), startGateway(false, COMMON_ENV)]);
  });
  after(async () => {
    await Promise.all([fast, full].map(stopGateway));
  });

  it('takes exactly the requests it is meant to take', () => {
    for (const c of CASES) {
      const body = c.body === undefined ? '' : typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
      const headers = { ...(c.headers ?? {}) } as Record<string, string>;
      if (c.body !== undefined && !headers['transfer-encoding']) headers['content-length'] = String(Buffer.byteLength(body));
      const req = { method: c.method ?? 'POST', url: c.path ?? '/graphql', headers } as never;
      assert.equal(isFastPathRequest(req, { graphqlEndpoint: '/graphql', maxRequestBytes: 8192 }), c.fast, c.name);
    }
  });

  it('gives the same status, headers and body for every request in the table, in order', async () => {
    for (const c of CASES) {
      const [a, b] = [normalise(await send(fast.url, c)), normalise(await send(full.url, c))];
      if (process.env.PARITY_PRINT) console.log(c.name, a.status, a.body.slice(0, 150));
      assert.deepEqual(a, b, `${c.name}: fast path ${JSON.stringify(a)}\nyoga ${JSON.stringify(b)}`);
      // Same order of writes on both: the second call of a cached-cost case must match as well.
      if (c.name.includes('twice')) assert.deepEqual(normalise(await send(fast.url, c)), normalise(await send(full.url, c)), `${c.name} (again)`);
    }
  });

  it('masks an internal error the same way, with the request id', async () => {
    for (const g of [fast, full]) {
      g.registry.evaluations.getMany = async () => {
        throw new Error('boom: a driver detail');
      };
    }
    for (const headers of [read, { ...read, 'x-request-id': 'parity-masked' }]) {
      const c: Case = { name: 'masked', headers, body: { query: '{ evaluation(id: "p-1") { id } }' }, fast: true };
      const [a, b] = [normalise(await send(fast.url, c)), normalise(await send(full.url, c))];
      assert.deepEqual(a, b);
      assert.match(a.body, /"Unexpected error\."/);
      assert.doesNotMatch(a.body, /boom/);
    }
  });
});

describe('the fast path answers exactly as yoga with rate limits and persisted operations only', () => {
  const env = { ...COMMON_ENV, RATE_LIMIT_PER_SECOND: '0.01', RATE_LIMIT_BURST: '3', PERSISTED_OPERATIONS_ONLY: 'true' };
  const manifest = JSON.parse(readFileSync('persisted-documents.json', 'utf8')) as Record<string, string>;
  const [hash] = Object.entries(manifest).find(([, text]) => text.startsWith('query GetEvaluation('))!;
  let fast: Gateway;
  let full: Gateway;
  before(async () => {
    [fast, full] = await Promise.all([startGateway(true, env), startGateway(false, env)]);
  });
  after(async () => {
    await Promise.all([fast, full].map(stopGateway));
  });

  it('gives the same answers, up to and past RATE_LIMITED (429, Retry-After)', async () => {
    const persisted = { extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables: { id: 'x' } };
    const cases: Case[] = [
      { name: 'persisted operation', headers: read, body: persisted, fast: true },
      { name: 'unknown hash', headers: read, body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }, fast: true },
      { name: 'arbitrary query refused', headers: read, body: { query: '{ health { ok } }' }, fast: true },
      ...Array.from({ length: 4 }, (_, i) => ({ name: `persisted operation ${i + 2}`, headers: read, body: persisted, fast: true })),
    ];
    const statuses: number[] = [];
    for (const c of cases) {
      const [a, b] = [retryAfterOf(normalise(await send(fast.url, c))), retryAfterOf(normalise(await send(full.url, c)))];
      assert.ok(Math.abs(a.seconds - b.seconds) <= 1, `${c.name}: Retry-After ${a.seconds} vs ${b.seconds}`);
      assert.deepEqual(a.answer, b.answer, `${c.name}: fast path ${JSON.stringify(a)}\nyoga ${JSON.stringify(b)}`);
      statuses.push(a.answer.status);
    }
    assert.ok(statuses.includes(429), `the bucket ran out: ${statuses.join(', ')}`);
  });
});
