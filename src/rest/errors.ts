import { ErrorCode } from '../errors.ts';

type FetchAPI = { Response: typeof Response };

/**
 * HTTP status of each error code on the REST routes. As in FastAPI (the seed service), a request
 * the API understood but whose values it refuses is 422; a body or query it cannot read at all
 * (not JSON, not an object, bad percent-encoding) is 400 (RestRequestError).
 */
const STATUS: Record<string, number> = {
  [ErrorCode.BadUserInput]: 422,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.InvalidTransition]: 409,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.Unavailable]: 503,
  [ErrorCode.Internal]: 500,
};

export function restStatus(code: string, fallback = 500): number {
  return STATUS[code] ?? fallback;
}

/** A request a route cannot read: answered 400 before any operation runs. */
export class RestRequestError extends Error {
  constructor(
    message: string,
    readonly status = 400,
    readonly code: string = ErrorCode.BadUserInput,
  ) {
    super(message);
    this.name = 'RestRequestError';
  }
}

/**
 * The error body of every REST route: FastAPI's `{"detail": ...}` (what seed 004's clients read),
 * the code, and the same error in GraphQL's shape (what the gateway's other routes answer).
 */
export function restError(fetchAPI: FetchAPI, status: number, code: string, detail: string, requestId?: string, headers: Record<string, string> = {}): Response {
  const ids = requestId ? { request_id: requestId } : {};
  const body = { detail, code, ...ids, errors: [{ message: detail, extensions: { code, ...(requestId ? { requestId } : {}) } }] };
  return new fetchAPI.Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}
