import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Plugin } from 'graphql-yoga';
import type { StoredResponse } from '../backends/idempotency/index.ts';
import type { AppDeps } from '../context.ts';
import { requestIdOf } from '../http/request-id.ts';
import { jsonError } from '../http/responses.ts';

const KEY = /^[\x21-\x7e]{1,255}$/;
// A response carrying one of these may succeed on a retry, so the key is freed instead of kept.
const RETRYABLE = /"code":"(INTERNAL_SERVER_ERROR|UNAVAILABLE|RATE_LIMITED)"/;

interface Flight {
  hash: string;
  done: Promise<StoredResponse | null>;
  resolve(r: StoredResponse | null): void;
}

/**
 * `Idempotency-Key` on POST /graphql (every mutation), as payment APIs do: the first request with a
 * key runs and its response is kept for IDEMPOTENCY_TTL_SECONDS; a retry with the same key and the
 * same request gets that response again (header `Idempotency-Replayed: true`) without running; the
 * same key with another request is a 409 CONFLICT. Concurrent requests with one key run once: in
 * this process they wait on the first (single flight), across processes the database's primary key
 * picks one and the others poll until it is done. The caller's Authorization header is part of the
 * request's hash, so a key never replays one caller's response to another.
 */
export function useIdempotency(deps: AppDeps): Plugin {
  const flights = new Map<string, Flight>();
  const running = new WeakMap<Request, { key: string; flight: Flight }>();
  const { idempotencyTtlSeconds: ttl, idempotencyWaitMs: waitMs } = deps.config.limits;
  const replay = (Response: typeof globalThis.Response, r: StoredResponse) =>
    new Response(r.body, { status: r.status, headers: { 'content-type': r.contentType, 'idempotency-replayed': 'true' } });
  const conflict = (fetchAPI: { Response: typeof Response }, key: string, request: Request) =>
    jsonError(fetchAPI, 409, `Idempotency-Key ${JSON.stringify(key)} was already used for a different request; use a new key for a new request.`, 'CONFLICT', requestIdOf(request));

  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const key = request.headers.get('idempotency-key');
      if (key === null || request.method !== 'POST' || url.pathname !== '/graphql') return;
      if (!KEY.test(key)) return endResponse(jsonError(fetchAPI, 400, 'Idempotency-Key must be 1-255 visible ASCII characters (a UUID is a good choice).', 'BAD_USER_INPUT', requestIdOf(request)));
      const hash = createHash('sha256').update(`${request.headers.get('authorization') ?? ''}\n`).update(await request.clone().text()).digest('hex');
      for (const deadline = Date.now() + waitMs; Date.now() < deadline; ) {
        const local = flights.get(key);
        if (local) {
          if (local.hash !== hash) return endResponse(conflict(fetchAPI, key, request));
          const first = await local.done;
          if (first) return endResponse(replay(fetchAPI.Response, first));
          continue; // the first run was freed for a retry: claim again
        }
        const claim = await deps.registry.idempotency.claim(key, hash, ttl);
        if (claim.claimed) {
          let resolve!: (r: StoredResponse | null) => void;
          const flight: Flight = { hash, done: new Promise((r) => (resolve = r)), resolve: (r) => resolve(r) };
          flights.set(key, flight);
          running.set(request, { key, flight });
          return; // run it; onResponse keeps the answer
        }
        if (claim.requestHash !== hash) return endResponse(conflict(fetchAPI, key, request));
        if (claim.response) return endResponse(replay(fetchAPI.Response, claim.response));
        await sleep(50); // another process is running it
      }
      endResponse(jsonError(fetchAPI, 409, `A request with Idempotency-Key ${JSON.stringify(key)} is still running; retry later.`, 'CONFLICT', requestIdOf(request)));
    },
    async onResponse({ request, response }) {
      const entry = running.get(request);
      if (!entry) return;
      running.delete(request);
      const body = await response.clone().text();
      const stored: StoredResponse = { status: response.status, contentType: response.headers.get('content-type') ?? 'application/json', body };
      const keep = response.status < 500 && !RETRYABLE.test(body);
      try {
        await (keep ? deps.registry.idempotency.complete(entry.key, stored) : deps.registry.idempotency.release(entry.key));
      } finally {
        flights.delete(entry.key);
        entry.flight.resolve(keep ? stored : null);
      }
    },
  };
}
