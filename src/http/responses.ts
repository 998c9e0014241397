import { checkId } from '../domain/ids.ts';
import { BadUserInputError, StrataError } from '../errors.ts';
import type { Logger } from '../logger.ts';

type FetchAPI = { Response: typeof Response };

/** The GraphQL error shape over plain HTTP, so clients handle one format everywhere. */
export function jsonError(fetchAPI: FetchAPI, status: number, message: string, code: string, requestId: string): Response {
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code, requestId } }] }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** A StrataError with its status and message; anything else masked as a 500 and logged with the request's id. */
export function errorResponse(fetchAPI: FetchAPI, err: unknown, logger: Logger, path: string, requestId: string): Response {
  if (err instanceof StrataError) {
    return jsonError(fetchAPI, (err.extensions['http'] as { status: number }).status, err.message, err.code, requestId);
  }
  logger.error({ err, path, requestId }, 'HTTP request failed');
  return jsonError(fetchAPI, 500, 'Unexpected error.', 'INTERNAL_SERVER_ERROR', requestId);
}

export function json(fetchAPI: FetchAPI, body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new fetchAPI.Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** /evaluations/{id}/output and /error: the validated id and which text. */
export const TEXT_ROUTE = /^\/evaluations\/([^/]+)\/(output|error)$/;

export function decodeId(raw: string): string {
  try {
    return checkId('id', decodeURIComponent(raw));
  } catch (err) {
    if (err instanceof URIError) throw new BadUserInputError('The id in the URL is not valid percent-encoding.');
    throw err;
  }
}
