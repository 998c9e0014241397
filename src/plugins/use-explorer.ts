import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.ts';
import { acceptsGzip } from '../http/range.ts';
import { buildExplorer, type ExplorerAsset, type ExplorerBundle } from '../http/explorer-bundle.ts';

export interface ExplorerOptions {
  logger: Logger;
  /** @default buildExplorer (esbuild, in memory) */
  build?: () => Promise<ExplorerBundle>;
}

// Only this origin: the bundle's script and style, and /graphql for data (fetch and SSE).
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The Storage Explorer: GET /explorer (and anything under it that is not an asset) is the page,
 * GET /explorer/assets/* its hashed script and stylesheet. The page holds no data, so it is served
 * without an API key; everything it shows comes through /graphql with the key the user gives it.
 * The page is revalidated (`no-cache` + ETag); the assets are `immutable` for a year.
 */
export function useExplorer(options: ExplorerOptions): Plugin {
  let bundle: Promise<ExplorerBundle> | null = null;
  const load = () =>
    (bundle ??= (options.build ?? buildExplorer)().catch((err: unknown) => {
      bundle = null; // try again on the next request
      throw err;
    }));
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const path = url.pathname;
      if (path !== '/explorer' && !path.startsWith('/explorer/')) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return endResponse(new fetchAPI.Response('Method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } }));
      }
      let built: ExplorerBundle;
      try {
        built = await load();
      } catch (err) {
        options.logger.error({ err }, 'building the Storage Explorer failed');
        return endResponse(new fetchAPI.Response('The Storage Explorer could not be built; see the gateway log.', { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
      }
      if (path.startsWith('/explorer/assets/')) {
        const file = built.assets.get(path);
        if (!file) return endResponse(new fetchAPI.Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
        return endResponse(send(fetchAPI, request, file, { 'cache-control': 'public, max-age=31536000, immutable' }));
      }
      endResponse(send(fetchAPI, request, built.index, { 'cache-control': 'no-cache', 'content-security-policy': CSP, 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' }));
    },
  };
}

function send(fetchAPI: { Response: typeof Response }, request: Request, file: ExplorerAsset, extra: Record<string, string>): Response {
  const headers: Record<string, string> = { 'content-type': file.contentType, etag: file.etag, vary: 'accept-encoding', 'x-content-type-options': 'nosniff', ...extra };
  if (request.headers.get('if-none-match') === file.etag) return new fetchAPI.Response(null, { status: 304, headers });
  const gzip = acceptsGzip(request.headers.get('accept-encoding'));
  const body = gzip ? file.gzip : file.body;
  headers['content-length'] = String(body.byteLength);
  if (gzip) headers['content-encoding'] = 'gzip';
  return new fetchAPI.Response(request.method === 'HEAD' ? null : (body as BodyInit), { status: 200, headers });
}
