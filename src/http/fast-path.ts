import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { processRegularResult, type Plugin, type YogaServer } from 'graphql-yoga';
import type { StrataContext } from '../context.ts';

/**
 * The fast path for plain `POST /graphql` JSON requests (issue 10).
 *
 * Yoga answers a request in two layers: a fetch-API adapter (@whatwg-node/server: the Node request
 * becomes a `Request` with a streamed body, every plugin's `onRequest`/`onResponse` hook runs, the
 * `Response` is written back to Node), and its own handler (`YogaServer.handle`: the request
 * parsers and every `onRequestParse`/`onParams`/`onResultProcess` hook, then the one envelop
 * instance for parse, validate, context, execute, and the result processors). On small requests
 * the adapter layer was most of the gateway's CPU (W1 0.49 ms per request against 0.08 for a plain
 * node:http server).
 *
 * For requests the adapter layer has nothing to do with, this skips only that layer: the body is
 * read from Node directly and handed, already buffered, to the very same `YogaServer.handle`, so
 * every yoga and envelop plugin (CSRF, persisted operations, body-size and batch limits, parameter
 * checks, auth, query limits, cost, rate limit, masking, error codes, metrics, audit, slow log)
 * runs exactly as on the normal path, with the same parse/validation cache and compiled documents.
 * A JSON answer is built by yoga's own processRegularResult into a plain object written to Node in
 * one call (yogaServerPlugin's onResultProcess), not into a fetch-API Response read back.
 * Everything else goes to yoga untouched (see `isFastPathRequest`).
 */

type Core = YogaServer<Record<string, unknown>, StrataContext>;
const cores = new WeakMap<object, () => Core | null>();

/**
 * A plugin that notes the YogaServer behind the adapter createYoga returns (plugins see it in
 * onYogaInit); `exposeYogaServer(yoga, plugin)` then lets createFastPath find it from the adapter.
 */
export function yogaServerPlugin(): Plugin & { server(): Core | null } {
  let server: Core | null = null;
  return {
    onYogaInit({ yoga }) {
      server = yoga as unknown as Core;
    },
    // Runs after yoga's own result-processor choice (built-in plugins come first). For a fast-path
    // request answered as JSON, the same processRegularResult builds the answer, but into a plain
    // object the fast path writes to Node itself instead of a fetch-API Response it would read back.
    // Only when the type it chose is surely application/json: the hook cannot read the type, and
    // yoga picks application/graphql-response+json only when the Accept header names it.
    onResultProcess({ request, resultProcessor, setResultProcessor }) {
      if (resultProcessor !== processRegularResult || !fastRequests.has(request)) return;
      if (request.headers.get('accept')?.toLowerCase().includes('graphql-response')) return;
      setResultProcessor((result, _fetchAPI, type) => processRegularResult(result, PLAIN_RESPONSE, type), 'application/json');
    },
    server: () => server,
  };
}

/** Requests the fast path made (only they may be answered with a PlainResponse). */
const fastRequests = new WeakSet<object>();

/** What processRegularResult builds when handed this "fetch API": its body and init, as given. */
class PlainResponse {
  constructor(
    readonly body: string | null,
    readonly init: { status?: number; headers?: Record<string, string> },
  ) {}
}
const PLAIN_RESPONSE = { Response: PlainResponse } as unknown as Parameters<typeof processRegularResult>[1];

export function exposeYogaServer(adapter: object, plugin: { server(): Core | null }): void {
  cores.set(adapter, plugin.server);
}

export interface FastPathOptions {
  graphqlEndpoint: string;
  /** Largest body the fast path reads itself (MAX_REQUEST_BYTES); larger ones get yoga's 413. */
  maxRequestBytes: number;
}

// Yoga's accept handling picks the SSE or multipart processor for these: leave them to yoga.
const STREAMING_ACCEPT = /text\/event-stream|multipart\/mixed/i;
const CONTENT_LENGTH = /^\d+$/;
const JSON_TYPE = /^application\/(graphql-response\+)?json/;

/**
 * Only what no `onRequest`/`onResponse` hook of ours acts on:
 * - POST to the GraphQL endpoint exactly (no query string): every other route is yoga's;
 * - `application/json`: yoga's JSON parser takes it, and it is never a CSRF "simple" request;
 * - no `Origin` (CORS headers, preflights), no `Idempotency-Key` (useIdempotency), no upgrade;
 * - a valid `Content-Length` within MAX_REQUEST_BYTES: a chunked or too large body is yoga's
 *   (its body-size limit answers 411/413 the same way for everyone);
 * - an `Accept` that does not ask for a stream (SSE, multipart).
 */
export function isFastPathRequest(req: IncomingMessage, options: FastPathOptions): boolean {
  if (req.method !== 'POST' || req.url !== options.graphqlEndpoint) return false;
  const h = req.headers;
  const type = h['content-type'];
  if (type === undefined || !type.toLowerCase().startsWith('application/json')) return false;
  if (h.origin !== undefined || h['idempotency-key'] !== undefined || h.upgrade !== undefined) return false;
  const length = h['content-length'];
  if (length === undefined || !CONTENT_LENGTH.test(length) || Number(length) > options.maxRequestBytes) return false;
  if (h['transfer-encoding'] !== undefined) return false;
  const accept = h.accept;
  return accept === undefined || !STREAMING_ACCEPT.test(accept);
}

export interface FastPath {
  /** Answers the request and returns true, or returns false (having touched nothing) for yoga. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

export function createFastPath(adapter: object, options: FastPathOptions): FastPath {
  const server = cores.get(adapter)?.();
  if (!server) throw new Error('createFastPath needs a yoga built with yogaServerPlugin() and exposeYogaServer()');
  return {
    handle(req, res) {
      if (!isFastPathRequest(req, options)) return false;
      serve(server, req, res).catch((err: unknown) => {
        // Writing to a connection that broke: nothing left to answer, but never an unhandled rejection.
        server.logger.error(err);
        res.destroy();
      });
      return true;
    },
  };
}

/** The node:http listener: the fast path when `enabled` and the request fits, yoga for the rest. */
export function requestListener(yoga: ((req: IncomingMessage, res: ServerResponse) => unknown) & object, options: FastPathOptions & { enabled: boolean }): RequestListener {
  if (!options.enabled) return (req, res) => void yoga(req, res);
  const fast = createFastPath(yoga, options);
  return (req, res) => void (fast.handle(req, res) || yoga(req, res));
}

async function serve(yoga: Core, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let response: Response | PlainResponse;
  try {
    const body = await readBody(req);
    const request = bufferedRequest(yoga, req, res, body);
    fastRequests.add(request);
    response = await yoga.handle(request, { req, res, waitUntil } as never);
  } catch (err) {
    // Yoga's handle never throws (it answers errors itself); a body that broke off mid-way can.
    if (!res.headersSent) res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ errors: [{ message: `The request body could not be read: ${(err as Error).message}`, extensions: { code: 'BAD_REQUEST' } }] }));
    return;
  }
  await send(response, res);
}

function waitUntil(promise: Promise<unknown> | void): void {
  // Nothing of ours defers work past the response; keep a rejection from going unhandled.
  if (promise && typeof promise.catch === 'function') promise.catch(() => {});
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
    req.once('aborted', () => reject(new Error('the client closed the connection')));
  });
}

/**
 * The `Request` yoga's handler gets: the fields its hooks and our context read (method, url,
 * headers, json/text of the already read body), and an AbortSignal that fires if the client
 * leaves before the response is written, created only if someone asks for it.
 */
function bufferedRequest(yoga: Core, req: IncomingMessage, res: ServerResponse, body: string): Request {
  const { Headers } = yoga.fetchAPI;
  let headers: Headers | undefined;
  let signal: AbortSignal | undefined;
  const request = {
    method: 'POST',
    url: `http://${req.headers.host ?? 'localhost'}${req.url}`,
    get headers() {
      return (headers ??= new Headers(req.headers as Record<string, string>));
    },
    get signal() {
      if (!signal) {
        const controller = new AbortController();
        res.once('close', () => {
          if (!res.writableFinished) controller.abort();
        });
        signal = controller.signal;
      }
      return signal;
    },
    body: null,
    bodyUsed: false,
    // A body that is not JSON gets the error the fetch API's own Request would throw (its message
    // reaches the client in extensions.originalError), so that is where it is taken from.
    json: async () => {
      try {
        return JSON.parse(body) as unknown;
      } catch {
        return new yoga.fetchAPI.Response(body).json();
      }
    },
    text: async () => body,
    clone: () => bufferedRequest(yoga, req, res, body),
  };
  return request as unknown as Request;
}

/**
 * Writes yoga's Response: a JSON body in one write, anything else (a stream) as it comes. A whole
 * body goes with its Content-Length, as yoga's adapter sends it (without one, Node would frame it
 * as chunked, unlike the answer the same request gets from yoga's own path).
 */
async function send(response: Response | PlainResponse, res: ServerResponse): Promise<void> {
  if (response instanceof PlainResponse) {
    const body = response.body ?? '';
    res.writeHead(response.init.status ?? 200, { ...response.init.headers, 'content-length': Buffer.byteLength(body) });
    return void res.end(body);
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  if (JSON_TYPE.test(response.headers.get('content-type') ?? '')) {
    const text = await response.text();
    res.writeHead(response.status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
    return void res.end(text);
  }
  res.writeHead(response.status, headers);
  if (!response.body) return void res.end();
  return pump(response.body, res);
}

async function pump(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader();
  res.once('close', () => void reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      res.write(value);
    }
  } finally {
    res.end();
  }
}
