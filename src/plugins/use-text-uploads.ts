import type { Plugin } from 'graphql-yoga';
import { createContext, type AppDeps } from '../context.ts';
import { BadUserInputError, PayloadTooLargeError } from '../errors.ts';
import { decodeId, errorResponse, TEXT_ROUTE } from '../http/responses.ts';
import { claimUpload } from '../http/upload-idempotency.ts';

/**
 * `PUT /evaluations/{id}/output` (and `/error`): a streamed upload of the full text, for outputs too
 * large for a GraphQL string. The body is read as it arrives: at most LARGE_FILE_THRESHOLD bytes are
 * held to choose the location, the rest streams into the blob store, so memory stays flat. At most
 * MAX_UPLOAD_BYTES (413 past that). The answer says where the text went and its size and sha256.
 * The blob is complete before the row names it; a failed row write removes it again. With an
 * `Idempotency-Key`, a retry of the same bytes gets the first answer (upload-idempotency.ts).
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
        const body = request.body as unknown as AsyncIterable<Uint8Array>;
        const { idempotencyTtlSeconds: ttl, idempotencyWaitMs: wait } = deps.config.limits;
        const claim = await claimUpload(deps.registry.idempotency, request, url.pathname, body, ttl, wait);
        if (claim && !claim.run) return endResponse(new fetchAPI.Response(claim.response.body, { status: claim.response.status, headers: { 'content-type': claim.response.contentType, 'idempotency-replayed': 'true' } }));
        try {
          const text = await deps.registry.texts.routeStream(id, which, body, max);
          try {
            await ctx.evaluations.setText(id, which, text);
          } catch (err) {
            await deps.registry.texts.discard(text);
            throw err;
          }
          const downloadUrl = `${deps.config.publicUrl}/evaluations/${encodeURIComponent(id)}/${which}`;
          const answer = JSON.stringify({ id, which, location: text.location, size: text.size, sha256: text.sha256, downloadUrl });
          await claim?.complete({ status: 200, contentType: 'application/json', body: answer });
          endResponse(new fetchAPI.Response(answer, { status: 200, headers: { 'content-type': 'application/json' } }));
        } catch (err) {
          await claim?.release(); // a failed upload may be retried with the same key
          throw err;
        }
      } catch (err) {
        endResponse(errorResponse(fetchAPI, err, ctx.logger, url.pathname));
      }
    },
  };
}
