import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import pino from 'pino';
import { testConfig } from '../../src/config.ts';
import { isFastPathRequest } from '../../src/http/fast-path.ts';
import { metricsRegistry } from '../../src/observability/metrics.ts';
import { startServer } from '../../src/server.ts';
import { heapAfterFullGcMb } from '../support/heap.ts';
import { hostileRequests, type HostileRequest } from '../support/hostile.ts';
import { API_KEYS_ENV, KEYS } from '../support/keys.ts';

const OVER_HTTP = 10_000;
const RAW = 60;
const SEED = 7;
const WARM_UP = 2000;
const CHECKPOINT = 2000;
const CONCURRENCY = 8;

/** Answers that are server errors or carry a masked internal error, and requests never answered: each one is a bug. */
interface Finding {
  kind: string;
  status: number;
  body: string;
}

// A subscription document (the manifest has some) is answered with a stream that lasts as long as
// the subscription: only its first chunk is read, then the client leaves, as a real one may.
const STREAMING = /text\/event-stream|multipart\/mixed/i;

/** One request over node:http on `agent` (keep-alive, as clients do): its status and body. */
function exchange(agent: Agent, base: string, r: HostileRequest): Promise<{ status: number; body: string }> {
  const body = r.method === 'GET' || r.method === 'HEAD' || r.body === undefined ? undefined : Buffer.from(r.body);
  const headers = body ? { ...r.headers, 'content-length': String(body.length) } : r.headers;
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(`${base}${r.path}`), { method: r.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      const done = () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') });
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (STREAMING.test(res.headers['content-type'] ?? '')) (done(), req.destroy());
      });
      res.on('end', done);
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends one request; returns its HTTP status, or 0 (and a finding) when no answer came at all. */
async function send(agent: Agent, base: string, r: HostileRequest, findings: Finding[]): Promise<number> {
  try {
    const { status, body } = await exchange(agent, base, r);
    if (status >= 500 || body.includes('INTERNAL_SERVER_ERROR')) findings.push({ kind: r.kind, status, body: body.slice(0, 300) });
    return status;
  } catch (err) {
    findings.push({ kind: r.kind, status: 0, body: `no answer: ${(err as Error).message}` });
    return 0;
  }
}

/** Runs `n` requests, CONCURRENCY at a time; returns counts by HTTP status (0: no answer). */
async function run(n: number, one: () => Promise<number>): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {};
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next++ < n) {
      const status = await one();
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }));
  return statuses;
}

/** HTTP that Node's parser must refuse, written to the socket as is. */
const RAW_REQUESTS = [
  'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n{}',
  'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
  'POST /graphql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
  'GET /graphql HTTP/9.9\r\n\r\n',
  'GARBAGE\r\n\r\n',
  `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
  'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":',
];

function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let reply = '';
    socket.on('data', (d) => (reply += String(d)));
    socket.on('error', () => resolve(reply));
    socket.on('close', () => resolve(reply));
    socket.setTimeout(2000, () => socket.destroy());
  });
}

describe('fuzz: hostile requests to a running server', () => {
  it(`survives ${OVER_HTTP} over HTTP (fast path and yoga) and ${RAW} raw ones, with no 5xx, no internal error and a heap that stops growing`, async (t) => {
    const documents = Object.values(JSON.parse(readFileSync('persisted-documents.json', 'utf8')) as Record<string, string>);
    const maxRequestBytes = 4 * 1024 * 1024;
    const config = testConfig({ port: 0, host: '127.0.0.1' }, { STRATA_API_KEYS: API_KEYS_ENV, RATE_LIMIT_PER_SECOND: '0', SLOW_OPERATION_MS: '0', MAX_REQUEST_BYTES: String(maxRequestBytes), MAX_CODE_BYTES: '65536' });
    assert.equal(config.perf.fastPath, true, 'the server takes plain JSON POSTs on its fast path');
    // The gateway as `strata serve` runs it: startServer's node:http listener, fast path and all.
    const server = await startServer(config, pino({ level: 'silent' }));
    const base = server.url.replace(/\/graphql$/, '');
    // Which path each request took, seen by a second listener that only looks at the headers.
    const paths = { fast: 0, yoga: 0 };
    server.server.on('request', (req: IncomingMessage) => void paths[isFastPathRequest(req, { graphqlEndpoint: '/graphql', maxRequestBytes }) ? 'fast' : 'yoga']++);
    const findings: Finding[] = [];
    try {
      const next = hostileRequests(SEED, documents, [KEYS.admin, KEYS.read, KEYS.write]);
      const statuses: Record<number, number> = {};
      const count = (s: Record<number, number>) => Object.entries(s).forEach(([k, v]) => (statuses[+k] = (statuses[+k] ?? 0) + v));
      // Each phase has its own keep-alive connections, closed before the heap is measured: the
      // measurement stops this process for seconds, long enough for the server to time out idle
      // ones, and a request sent on a connection the server is just closing gets ECONNRESET.
      const phase = async (n: number) => {
        const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
        count(await run(n, () => send(agent, base, next(), findings)));
        agent.destroy();
        return heapAfterFullGcMb();
      };
      const heap = [await phase(WARM_UP)];
      for (let sent = WARM_UP; sent < OVER_HTTP; sent += CHECKPOINT) heap.push(await phase(CHECKPOINT));
      let answered = 0;
      for (let i = 0; i < RAW; i++) if (/^HTTP\/1\.1 4\d\d/.test(await rawRequest(Number(new URL(base).port), RAW_REQUESTS[i % RAW_REQUESTS.length]!))) answered++;
      const alive = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.admin}` }, body: JSON.stringify({ query: '{ health { ok } }' }) });
      assert.deepEqual(await alive.json(), { data: { health: { ok: true } } }, 'still serving');
      const operationLabels = new Set((await metricsRegistry.getSingleMetric('strata_graphql_operations_total')!.get()).values.map((v) => v.labels['operation']));
      t.diagnostic(`HTTP statuses ${JSON.stringify(statuses)}; fast path ${paths.fast}, yoga ${paths.yoga}; raw answered with 4xx ${answered}/${RAW}`);
      t.diagnostic(`heap after a full collection (MB) after ${heap.map((h, i) => `${WARM_UP + i * CHECKPOINT}: ${h.toFixed(1)}`).join(', ')} requests; ${operationLabels.size} operation labels`);
      assert.deepEqual(findings, [], `bugs: ${findings.length} requests with a 5xx, a masked internal error or no answer`);
      assert.ok(paths.fast > OVER_HTTP / 4 && paths.yoga > OVER_HTTP / 4, `both paths were fuzzed: ${JSON.stringify(paths)}`);
      assert.equal(answered, RAW, 'every malformed request got a 4xx');
      // Memory (server and client share this process): what a request leaves behind must be
      // bounded, not proportional to the requests. Yoga's parse cache (with the ASTs and
      // graphql-jit queries hanging off it) is bounded by document length (bounded-cache.ts, ~75 MB
      // at most) and is full after about 4,000 requests here; the memory store keeps the few
      // writes that were valid (a few dozen). So from the half-way checkpoint on the heap must stay
      // flat: the unbounded caches of before grew 25-30 MB per 2,000 requests here (and ~500 MB
      // per 4,500 before they were bounded at all).
      const half = Math.floor(heap.length / 2);
      const lateGrowth = heap.at(-1)! - Math.min(...heap.slice(half - 1, half + 1));
      assert.ok(lateGrowth < 24, `heap grew ${lateGrowth.toFixed(1)} MB over the last ${(heap.length - half) * CHECKPOINT} requests`);
      assert.ok(heap.at(-1)! - heap[0]! < 100, `heap grew ${(heap.at(-1)! - heap[0]!).toFixed(1)} MB after the warm-up, more than the caches' bound`);
      // Operation names are the clients' choice: labels stay bounded (metrics.ts).
      assert.ok(operationLabels.size <= 203, `${operationLabels.size} operation labels`);
    } finally {
      await server.close();
    }
  });
});
