import type { Plugin } from 'graphql-yoga';
import { createContext, type AppDeps } from '../context.ts';
import { BadUserInputError, PayloadTooLargeError } from '../errors.ts';
import { decodeId, errorResponse, json, TEXT_ROUTE } from '../http/responses.ts';

/**
 * `PUT /evaluations/{id}/output` (and `/error`): a streamed upload of the full text, for outputs too
 * large for a GraphQL string. The body is read as it arrives: at most LARGE_FILE_THRESHOLD bytes are
 * held to choose the location, the rest streams into the blob store, so memory stays flat. At most
 * MAX_UPLOAD_BYTES (413 past that). The answer says where the text went and its size and sha256.
 * The blob is complete before the row names it; a failed row write removes it again.
 */
export function useTextUploads(deps: AppDeps): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const match = request.method === 'PUT' ? TEXT_ROUTE.exec(url.pathname) : null;
      if (!match) return;
      const which = match[2] as 'output' | 'error';
      const max = deps.config.limits.maxUploadBytes;
      const ctx = createContext(deps, request);
      try {
        const id = decodeId(match[1]!);
        const declared = Number(request.headers.get('content-length') ?? NaN);
        if (declared > max) throw new PayloadTooLargeError(which, max, 'MAX_UPLOAD_BYTES');
        if (!request.body) throw new BadUserInputError(`Send the ${which} text as the request body.`);
        await ctx.evaluations.get(id); // 404 before reading a byte of the body
        const text = await deps.registry.texts.routeStream(id, which, request.body as unknown as AsyncIterable<Uint8Array>, max);
        try {
          await ctx.evaluations.setText(id, which, text);
        } catch (err) {
          await deps.registry.texts.discard(text);
          throw err;
        }
        const downloadUrl = `${deps.config.publicUrl}/evaluations/${encodeURIComponent(id)}/${which}`;
        endResponse(json(fetchAPI, { id, which, location: text.location, size: text.size, sha256: text.sha256, downloadUrl }));
      } catch (err) {
        endResponse(errorResponse(fetchAPI, err, ctx.logger, url.pathname));
      }
    },
  };
}
