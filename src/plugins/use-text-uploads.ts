import type { Plugin } from 'graphql-yoga';
import { createContext, type AppDeps, type StrataContext } from '../context.ts';
import { BadUserInputError, errorCodeOf, PayloadTooLargeError } from '../errors.ts';
import { decodeId, errorResponse, TEXT_ROUTE } from '../http/responses.ts';
import { claimUpload } from '../http/upload-idempotency.ts';
import { metrics } from '../observability/metrics.ts';

type FetchAPI = { Response: typeof Response };
type Which = 'output' | 'error';

/**
 * `PUT /evaluations/{id}/output` (and `/error`): a streamed upload of the full text, for outputs too
 * large for a GraphQL string. The body is read as it arrives: at most LARGE_FILE_THRESHOLD bytes are
 * held to choose the location, the rest streams into the blob store, so memory stays flat. At most
 * MAX_UPLOAD_BYTES (413 past that). The answer says where the text went and its size and sha256.
 * The blob is complete before the row names it; a failed row write removes it again. With an
 * `Idempotency-Key`, a retry of the same bytes gets the first answer (upload-idempotency.ts).
 *
 * Every upload the REST guard lets through appends an audit record (`PUT /evaluations/{id}/output`,
 * the id, `ok` or the error code), as a mutation does; a replayed retry writes nothing and records
 * nothing. Like a mutation's, a record that cannot be stored is logged and counted
 * (strata_audit_failures_total); the upload's answer stands.
 */
export function useTextUploads(deps: AppDeps): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const match = request.method === 'PUT' ? TEXT_ROUTE.exec(url.pathname) : null;
      if (!match) return;
      const which = match[2] as Which;
      const ctx = createContext(deps, request);
      const at = new Date();
      let id: string | null = null;
      let outcome = 'ok';
      try {
        id = decodeId(match[1]!);
        const { response, replayed } = await upload(deps, ctx, request, url.pathname, id, which, fetchAPI);
        endResponse(response);
        if (replayed) return;
      } catch (err) {
        outcome = errorCodeOf(err);
        endResponse(errorResponse(fetchAPI, err, ctx.logger, url.pathname, ctx.requestId));
      }
      const record = { keyName: ctx.caller.keyName, operation: `PUT /evaluations/{id}/${which}`, targetIds: id ? [id] : [], at, outcome, requestId: ctx.requestId };
      await deps.registry.audit.record(record).catch((err: unknown) => {
        metrics.auditFailures.inc();
        ctx.logger.error({ err, operation: record.operation }, 'could not store the audit record of an upload');
      });
    },
  };
}

/** Streams the body into storage and names it in the row; the answer, or the first answer to a retry. */
async function upload(deps: AppDeps, ctx: StrataContext, request: Request, path: string, id: string, which: Which, fetchAPI: FetchAPI): Promise<{ response: Response; replayed: boolean }> {
  const max = deps.config.limits.maxUploadBytes;
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > max) throw new PayloadTooLargeError(which, max, 'MAX_UPLOAD_BYTES');
  if (!request.body) throw new BadUserInputError(`Send the ${which} text as the request body.`);
  await ctx.evaluations.get(id); // 404 before reading a byte of the body
  const body = request.body as unknown as AsyncIterable<Uint8Array>;
  const { idempotencyTtlSeconds: ttl, idempotencyWaitMs: wait } = deps.config.limits;
  const claim = await claimUpload(deps.registry.idempotency, request, path, body, ttl, wait);
  if (claim && !claim.run) {
    const headers = { 'content-type': claim.response.contentType, 'idempotency-replayed': 'true' };
    return { response: new fetchAPI.Response(claim.response.body, { status: claim.response.status, headers }), replayed: true };
  }
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
    return { response: new fetchAPI.Response(answer, { status: 200, headers: { 'content-type': 'application/json' } }), replayed: false };
  } catch (err) {
    await claim?.release(); // a failed upload may be retried with the same key
    throw err;
  }
}
