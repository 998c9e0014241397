import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.ts';
import { acceptsGzip } from '../http/range.ts';
import { buildExplorer, type ExplorerAsset, type ExplorerBundle, type ExplorerPageOptions } from '../http/explorer-bundle.ts';

export interface ExplorerOptions extends ExplorerPageOptions {
  logger: Logger;
  /** @default buildExplorer (esbuild, in memory) with these options */
  build?: () => Promise<ExplorerBundle>;
}

// Only this origin: the bundle's script and style, and /graphql for data (fetch and SSE).
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const BUILD_FAILED = 'The Storage Explorer could not be built when the gateway started, so it is not served. The gateway log has the cause ("building the Storage Explorer failed"); fix src/explorer and restart the gateway.';

/**
 * The Storage Explorer: GET /explorer (and anything under it that is not an asset) is the page,
 * GET /explorer/assets/* its hashed script and stylesheet. The page holds no data, so it is served
 * without an API key; everything it shows comes through /graphql with the key the user gives it.
 * The page is revalidated (`no-cache` + ETag); the assets are `immutable` for a year.
 *
 * The bundle is built as the gateway starts, in the background, not on the first visit: the first
 * visitor does not wait for esbuild, and a build that fails says so in the log at start rather than
 * when someone first opens the page. A failed build is not retried (the sources will not have
 * changed): /explorer answers 500 saying why until the gateway restarts.
 */
export function useExplorer(options: ExplorerOptions): Plugin {
  const start = async () => (options.build ? options.build() : buildExplorer(options)); // async: a throw becomes a rejection
  const bundle: Promise<ExplorerBundle | Error> = start().catch((err: unknown) => {
    options.logger.error({ err }, 'building the Storage Explorer failed: /explorer answers 500 until the gateway restarts');
    return err instanceof Error ? err : new Error(String(err));
  });
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const path = url.pathname;
      if (path !== '/explorer' && !path.startsWith('/explorer/')) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return endResponse(new fetchAPI.Response('Method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } }));
      }
      const built = await bundle;
      if (built instanceof Error) return endResponse(new fetchAPI.Response(BUILD_FAILED, { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
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
