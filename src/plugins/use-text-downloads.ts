import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';
import type { AppDeps } from '../context.ts';
import type { StoredTextRecord } from '../domain/evaluation.ts';
import { NotFoundError } from '../errors.ts';
import { acceptsGzip, parseRange } from '../http/range.ts';
import { requestIdOf } from '../http/request-id.ts';
import { decodeId, errorResponse, TEXT_ROUTE } from '../http/responses.ts';

// Below this, gzip costs more than it saves.
const GZIP_MIN_BYTES = 1024;

// @whatwg-node pipes a Node stream body straight to the socket with backpressure; its types only
// name web streams.
const body = (stream: Readable | Buffer | null) => stream as unknown as BodyInit | null;

/**
 * `GET /evaluations/{id}/output` and `/error` (and HEAD): the full text behind
 * StoredText.downloadUrl, streamed from wherever it is stored, never held whole in memory.
 * - `Range: bytes=a-b` gets 206 with Content-Range and the exact Content-Length; an unsatisfiable
 *   range gets 416 with `Content-Range: bytes *\/size`.
 * - A client that accepts gzip gets gzip: a COMPRESSED text's stored bytes as they are (with their
 *   length), anything else compressed on the fly (chunked). Ranges are always identity bytes.
 * Same checks as the GraphQL API: a validated id, NOT_FOUND as 404.
 */
export function useTextDownloads(deps: AppDeps): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const match = request.method === 'GET' || request.method === 'HEAD' ? TEXT_ROUTE.exec(url.pathname) : null;
      if (!match) return;
      const which = match[2] as 'output' | 'error';
      try {
        const id = decodeId(match[1]!);
        const evaluation = (await deps.registry.evaluations.getMany([id])).get(id);
        if (!evaluation) throw new NotFoundError('Evaluation', id);
        const text = evaluation[which];
        if (!text) throw new NotFoundError(`The ${which} of evaluation`, id);
        endResponse(await respond(deps, fetchAPI, request, text));
      } catch (err) {
        endResponse(errorResponse(fetchAPI, err, deps.logger, url.pathname, requestIdOf(request)));
      }
    },
  };
}

async function respond(deps: AppDeps, fetchAPI: { Response: typeof Response }, request: Request, text: StoredTextRecord): Promise<Response> {
  const { texts } = deps.registry;
  const { Response } = fetchAPI;
  const head = request.method === 'HEAD';
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8', 'accept-ranges': 'bytes', vary: 'accept-encoding' };
  if (text.sha256) headers['etag'] = `"${text.sha256}"`;
  const range = parseRange(request.headers.get('range'), text.size);
  if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${text.size}` } });
  if (range) {
    headers['content-range'] = `bytes ${range.start}-${range.end - 1}/${text.size}`;
    headers['content-length'] = String(range.end - range.start);
    return new Response(head ? null : body(await texts.open(text, range)), { status: 206, headers });
  }
  if (acceptsGzip(request.headers.get('accept-encoding')) && text.size >= GZIP_MIN_BYTES) {
    headers['content-encoding'] = 'gzip';
    const stored = texts.gzipped(text);
    if (stored) headers['content-length'] = String(stored.length);
    if (head) return new Response(null, { status: 200, headers });
    if (stored) return new Response(body(stored), { status: 200, headers });
    const source = await texts.open(text);
    const gzip = createGzip();
    pipeline(source, gzip, (err) => err && deps.logger.warn({ err }, 'download stream ended early'));
    return new Response(body(gzip), { status: 200, headers });
  }
  headers['content-length'] = String(text.size);
  return new Response(head ? null : body(await texts.open(text)), { status: 200, headers });
}
