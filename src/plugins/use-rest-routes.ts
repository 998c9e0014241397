import type { Plugin } from 'graphql-yoga';
import type { AppDeps } from '../context.ts';
import { requestIdOf } from '../http/request-id.ts';
import { readJsonObject } from '../rest/body.ts';
import { loadRestOperations } from '../rest/documents.ts';
import { RestRequestError, restError, restStatus } from '../rest/errors.ts';
import { createExecutor, type Executor, type OperationResult } from '../rest/execute.ts';
import { matchRoute } from '../rest/match.ts';
import { openApiYaml } from '../rest/openapi.ts';
import { ROUTES, type RestRoute, type RouteInput } from '../rest/routes.ts';

type FetchAPI = { Response: typeof Response };

/**
 * Seed 004's REST API (src/rest/routes.ts) and GET /openapi.yaml. A route reads its path, query
 * and body, runs its named GraphQL operation through this same yoga instance, and maps the result
 * to the seed's JSON; GraphQL error codes become HTTP statuses. The REST guard (use-rest-guard.ts)
 * has already checked CSRF and the key's scope for the method; the operation checks the rest.
 */
/** The server adapter (what node:http calls), so an operation passes every plugin's onRequest too. */
export type RestServer = () => { fetch(request: Request, serverContext: Record<string, unknown>): Promise<Response> | Response };

export function useRestRoutes(deps: AppDeps, server: RestServer): Plugin {
  const operations = loadRestOperations();
  for (const route of ROUTES) {
    if (route.operation && !operations.has(route.operation.name)) throw new Error(`REST route ${route.method} ${route.path} names a missing operation ${route.operation.name}`);
  }
  const executor: Executor = createExecutor((request, serverContext) => server().fetch(request, serverContext as Record<string, unknown>), deps.config.security.persistedOnly);
  let yaml: string | null = null;
  return {
    async onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      if (url.pathname === '/openapi.yaml' && request.method === 'GET') {
        yaml ??= openApiYaml(ROUTES, deps.config);
        return endResponse(new fetchAPI.Response(yaml, { headers: { 'content-type': 'application/yaml; charset=utf-8' } }));
      }
      let match;
      try {
        match = matchRoute(ROUTES, request.method === 'HEAD' ? 'GET' : request.method, url.pathname);
        if (!match) return;
        if ('allowed' in match) {
          return endResponse(restError(fetchAPI, 405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${url.pathname}; use ${match.allowed.join(', ')}.`, requestIdOf(request), { allow: match.allowed.join(', ') }));
        }
        const input: RouteInput = { params: match.params, query: url.searchParams, body: {}, config: deps.config };
        if (match.route.body) input.body = await readJsonObject(request, deps.config.security.query.maxRequestBytes);
        const route = match.route;
        const requestId = requestIdOf(request);
        const operation = route.operation!;
        const variables = operation.variables(input);
        await operation.prepare?.(input, async (name, stepVariables, tolerate = []) => {
          const result = await executor.run(operationOf(operations, name), stepVariables, request, serverContext, { requestId, idempotent: false });
          if (result.errors.length === 0 && result.data) return result.data;
          if (result.errors.length > 0 && result.errors.every((e) => tolerate.includes(e.extensions?.['code']))) return null;
          throw new StepFailed(failure(fetchAPI, route, result, {}, deps));
        });
        const result = await executor.run(operationOf(operations, operation.name), variables, request, serverContext, { requestId });
        endResponse(respond(fetchAPI, route, input, result, deps));
      } catch (err) {
        if (err instanceof StepFailed) return endResponse(err.response);
        const requestId = requestIdOf(request);
        if (err instanceof RestRequestError) return endResponse(restError(fetchAPI, err.status, err.code, err.message, requestId));
        deps.logger.error({ err, path: url.pathname, requestId }, 'REST route failed');
        endResponse(restError(fetchAPI, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.', requestId));
      }
    },
  };
}

/** A preparation step failed: its answer is the route's. */
class StepFailed extends Error {
  constructor(readonly response: Response) {
    super('a REST preparation step failed');
  }
}

const operationOf = (operations: ReturnType<typeof loadRestOperations>, name: string) => operations.get(name)!;

/** Headers of the operation's answer that a REST client needs too. */
const PASSED_ON = ['retry-after', 'idempotency-replayed', 'www-authenticate'];

function respond(fetchAPI: FetchAPI, route: RestRoute, input: RouteInput, result: OperationResult, deps: AppDeps): Response {
  const headers: Record<string, string> = {};
  for (const name of PASSED_ON) {
    const value = result.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const error = result.errors[0];
  if (error || !result.data) return failure(fetchAPI, route, result, headers, deps);
  const { body, headers: extra } = route.operation!.respond(result.data, input);
  return new fetchAPI.Response(JSON.stringify(body), { status: route.response.status, headers: { 'content-type': 'application/json', ...headers, ...extra } });
}

/**
 * The first error decides the status (an operation either works or not on REST: a partial answer
 * would lose what failed). Codes the REST API does not know (a GraphQL validation error of its own
 * documents, say) are the gateway's fault: 500, logged.
 */
function failure(fetchAPI: FetchAPI, route: RestRoute, result: OperationResult, headers: Record<string, string>, deps: AppDeps): Response {
  const error = result.errors[0];
  const code = String(error?.extensions?.['code'] ?? (result.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INTERNAL_SERVER_ERROR'));
  const status = restStatus(code, 0);
  const requestId = error?.extensions?.['requestId'] as string | undefined;
  if (status === 0) {
    deps.logger.error({ errors: result.errors, status: result.status }, 'a REST operation failed with a code the REST API does not map');
    return restError(fetchAPI, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.', requestId, headers);
  }
  const retryAfter = error?.extensions?.['retryAfterSeconds'];
  if (status === 429 && retryAfter !== undefined) headers['retry-after'] ??= String(retryAfter);
  return restError(fetchAPI, status, code, seedNames(route, error?.message ?? `The request failed with HTTP ${result.status}.`), requestId, headers);
}

/** GraphQL's messages name input fields as GraphQL spells them (input.runtimeMs); a REST client sent runtime_ms. */
function seedNames(route: RestRoute, message: string): string {
  return (route.body ?? []).reduce((m, f) => (f.name === f.to ? m : m.replace(new RegExp(`\\b(input\\.)?${f.to}\\b`, 'g'), f.name)), message);
}
