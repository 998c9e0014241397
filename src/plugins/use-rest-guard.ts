import type { Plugin } from 'graphql-yoga';
import type { ApiKey } from '../auth/api-keys.ts';
import { authenticate, hasScope } from '../auth/caller.ts';
import { ErrorCode, StrataError } from '../errors.ts';
import { requestIdOf } from '../http/request-id.ts';

export interface RestGuardOptions {
  keys: readonly ApiKey[];
  /** Handled by yoga with its own CSRF check and the schema's scope rules. @default '/graphql' */
  graphqlEndpoint: string;
  /** Paths anyone may GET: liveness and readiness probes carry no key. @default ['/health', '/ready'] */
  publicPaths: readonly string[];
}

/** Content types a browser sends cross-site without asking first (no CORS preflight). */
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'authorization'];

function refuse(fetchAPI: { Response: typeof Response }, request: Request, code: ErrorCode, message: string): Response {
  const error = new StrataError(code, message);
  const status = (error.extensions['http'] as { status: number }).status;
  const requestId = requestIdOf(request);
  // `detail`, `code` and `request_id` as seed 004's REST clients read errors (src/rest/errors.ts); `errors` as GraphQL clients do.
  return new fetchAPI.Response(JSON.stringify({ detail: message, code, request_id: requestId, errors: [{ message, extensions: { code, requestId } }] }), {
    status,
    headers: { 'content-type': 'application/json', ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}) },
  });
}

/**
 * The rules of the GraphQL endpoint, for every other route (downloads, uploads, /metrics, REST):
 * - CSRF: a POST a browser could send from another site without a preflight (a simple content
 *   type and none of CSRF_HEADERS) is refused with 403, as useCSRFPrevention does for GraphQL.
 *   PUT, PATCH and DELETE always need a preflight, which CORS settles.
 * - Keys: with STRATA_API_KEYS, reading (GET, HEAD) needs the `read` scope and anything else
 *   `write`; no key is 401 UNAUTHENTICATED, a key without the scope 403 FORBIDDEN.
 * This only decides who may call; a request it refuses reaches no route and is not audited. The
 * REST routes run GraphQL mutations (useAuditLog records them); the streamed uploads record their
 * own (use-text-uploads.ts).
 */
export function useRestGuard(options: RestGuardOptions): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname === options.graphqlEndpoint || request.method === 'OPTIONS') return;
      const reading = request.method === 'GET' || request.method === 'HEAD';
      if (reading && options.publicPaths.includes(url.pathname)) return;
      if (request.method === 'POST') {
        const type = request.headers.get('content-type')?.toLowerCase() ?? '';
        const simple = type === '' || SIMPLE_CONTENT_TYPES.some((t) => type.startsWith(t));
        if (simple && !CSRF_HEADERS.some((h) => request.headers.has(h))) {
          return endResponse(refuse(fetchAPI, request, ErrorCode.Forbidden, 'Required CSRF header(s) not present: send a JSON content type or an "x-graphql-yoga-csrf" header.'));
        }
      }
      if (options.keys.length === 0) return;
      try {
        const caller = authenticate(options.keys, request.headers.get('authorization'));
        if (!caller.authenticated) return endResponse(refuse(fetchAPI, request, ErrorCode.Unauthenticated, 'This route needs an API key: send "Authorization: Bearer <key>".'));
        const scope = reading ? 'read' : 'write';
        if (!hasScope(caller, scope)) return endResponse(refuse(fetchAPI, request, ErrorCode.Forbidden, `The key "${caller.keyName}" may not ${request.method} ${url.pathname}: it needs the ${scope} scope.`));
      } catch (err) {
        if (err instanceof StrataError) return endResponse(refuse(fetchAPI, request, err.code, err.message));
        throw err;
      }
    },
  };
}
