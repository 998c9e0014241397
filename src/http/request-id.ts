import { randomUUID } from 'node:crypto';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const ids = new WeakMap<object, string>();

/**
 * The id of a request: the client's `X-Request-Id` when it is a short plain token, else a new
 * UUID. The same every time it is asked for the same request, so the context (logs, audit records)
 * and every error of the answer, even one raised before the context existed (a parse or
 * validation error, a refusal), carry one id, and so do all operations of a batch. Without a
 * request (a WebSocket operation, a library call) each call makes a new id.
 */
export function requestIdOf(request: Request | undefined): string {
  if (!request) return randomUUID();
  let id = ids.get(request);
  if (id === undefined) {
    const given = request.headers.get('x-request-id');
    id = given && REQUEST_ID.test(given) ? given : randomUUID();
    ids.set(request, id);
  }
  return id;
}
