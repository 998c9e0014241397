import type { Plugin } from 'graphql-yoga';
import type { AppDeps } from '../context.ts';
import { checkId } from '../domain/ids.ts';
import { BadUserInputError, NotFoundError, StrataError } from '../errors.ts';

const ROUTE = /^\/evaluations\/([^/]+)\/(output|error)$/;

function jsonError(fetchAPI: { Response: typeof Response }, status: number, message: string, code: string): Response {
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function decodeId(raw: string): string {
  try {
    return checkId('id', decodeURIComponent(raw));
  } catch (err) {
    if (err instanceof URIError) throw new BadUserInputError('The id in the URL is not valid percent-encoding.');
    throw err;
  }
}

/**
 * `GET /evaluations/{id}/output` and `/error`: the full text behind StoredText.downloadUrl, as
 * text/plain. Same checks as the GraphQL API: a validated id, NOT_FOUND as 404.
 */
export function useTextDownloads(deps: AppDeps): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const match = request.method === 'GET' ? ROUTE.exec(url.pathname) : null;
      if (!match) return;
      const which = match[2] as 'output' | 'error';
      try {
        const id = decodeId(match[1]!);
        const evaluation = (await deps.registry.evaluations.getMany([id])).get(id);
        if (!evaluation) throw new NotFoundError('Evaluation', id);
        const text = evaluation[which];
        if (!text) throw new NotFoundError(`The ${which} of evaluation`, id);
        endResponse(new fetchAPI.Response(text.data.toString("utf8"), { headers: { 'content-type': 'text/plain; charset=utf-8' } }));
      } catch (err) {
        if (err instanceof StrataError) {
          return endResponse(jsonError(fetchAPI, (err.extensions['http'] as { status: number }).status, err.message, err.code));
        }
        deps.logger.error({ err, path: url.pathname }, 'download failed');
        endResponse(jsonError(fetchAPI, 500, 'Unexpected error.', 'INTERNAL_SERVER_ERROR'));
      }
    },
  };
}
