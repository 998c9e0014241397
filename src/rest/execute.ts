import type { RestOperation } from './documents.ts';

/** What a GraphQL operation answered, as a REST route needs it. */
export interface OperationResult {
  /** The HTTP status yoga answered (200 unless the request failed as a whole). */
  status: number;
  headers: Headers;
  data: Record<string, any> | null;
  errors: { message: string; extensions?: Record<string, any> }[];
}

/** Headers a REST request hands on to its GraphQL operation: who calls, which request, which retry. */
const FORWARDED = ['authorization', 'idempotency-key'];

export interface Executor {
  /**
   * `requestId`: the REST request's id, the same for each of its operations (logs, audit records).
   * `idempotent: false` leaves the request's Idempotency-Key off (for steps before the route's own write).
   */
  run(operation: RestOperation, variables: Record<string, unknown>, request: Request, serverContext: object, options: { requestId: string; idempotent?: boolean }): Promise<OperationResult>;
}

/**
 * Runs a named operation as a POST /graphql through the very yoga instance that received the REST
 * request (`yoga.fetch`, never a socket): CSRF, API keys and scopes, limits, rate limit,
 * idempotency keys, the audit log, error codes and masking all apply as to any GraphQL client.
 * With PERSISTED_OPERATIONS_ONLY the operation goes by its manifest hash.
 */
export function createExecutor(fetch: (request: Request, serverContext: object) => Promise<Response> | Response, persistedOnly: boolean): Executor {
  return {
    async run(operation, variables, request, serverContext, { requestId, idempotent = true }) {
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', 'x-request-id': requestId };
      for (const name of FORWARDED) {
        if (name === 'idempotency-key' && !idempotent) continue;
        const value = request.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      const document = persistedOnly
        ? { extensions: { persistedQuery: { version: 1, sha256Hash: operation.sha256 } } }
        : { query: operation.text };
      const inner = new Request(new URL('/graphql', request.url), {
        method: 'POST',
        headers,
        body: JSON.stringify({ ...document, operationName: operation.name, variables }),
      });
      const response = await fetch(inner, serverContext);
      const text = await response.text();
      let body: { data?: Record<string, any> | null; errors?: OperationResult['errors'] } = {};
      try {
        body = JSON.parse(text);
      } catch {
        // A response that is not JSON (a plain 413 from the body limit, say) is judged by its status.
      }
      return { status: response.status, headers: response.headers, data: body.data ?? null, errors: body.errors ?? [] };
    },
  };
}
