import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** One file of the built Storage Explorer, ready to send. */
export interface ExplorerAsset {
  body: Uint8Array;
  /** gzip of body, sent to clients that accept it. */
  gzip: Uint8Array;
  contentType: string;
  etag: string;
}

export interface ExplorerBundle {
  /** The page, at /explorer; it names the assets by their content hashes. */
  index: ExplorerAsset;
  /** By URL path: /explorer/assets/main-<hash>.js, ... */
  assets: Map<string, ExplorerAsset>;
}

export const EXPLORER_ENTRY = fileURLToPath(new URL('../explorer/main.tsx', import.meta.url));
const ASSET_PREFIX = '/explorer/assets/';

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

function asset(body: Uint8Array, contentType: string): ExplorerAsset {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return { body, gzip: gzipSync(body, { level: 9 }), contentType, etag };
}

/** What the page tells the explorer about this gateway. */
export interface ExplorerPageOptions {
  /**
   * PERSISTED_OPERATIONS_ONLY is on: the explorer sends its documents by hash (strata/client's
   * `persistedOperations`), read from a `<meta name="strata-persisted-operations">` of the page.
   * @default false
   */
  persistedOperations?: boolean;
}

/**
 * Builds the Storage Explorer (src/explorer, Preact) with esbuild, in memory: one minified
 * script and one stylesheet named by content hash, so they can be cached for a year, and the page
 * that loads them. About a tenth of a second; the gateway starts it when it starts (useExplorer),
 * so there is no build step between `npm ci` and `npm start`, and nothing on disk to go stale.
 * The sources do not change while a process runs, so one build serves every gateway in it.
 */
export async function buildExplorer(options: ExplorerPageOptions = {}): Promise<ExplorerBundle> {
  const { assets, script, style } = await (compiled ??= compile().catch((err: unknown) => {
    compiled = null; // a failed build is not kept: the caller decides whether to try again
    throw err;
  }));
  return { index: asset(new TextEncoder().encode(page(script, style, options)), 'text/html; charset=utf-8'), assets };
}

interface Compiled {
  assets: Map<string, ExplorerAsset>;
  script: string;
  style: string;
}

let compiled: Promise<Compiled> | null = null;

async function compile(): Promise<Compiled> {
  // Imported here so a gateway with EXPLORER_ENABLED=false never loads esbuild.
  const { build, stop } = await import('esbuild');
  const result = await build({
    entryPoints: [EXPLORER_ENTRY],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    entryNames: '[name]-[hash]',
    outdir: '/explorer-out',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  }).finally(() => stop()); // esbuild's service process is not needed after the one build
  const assets = new Map<string, ExplorerAsset>();
  const names: Record<string, string> = {};
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const ext = name.slice(name.lastIndexOf('.') + 1);
    names[ext] = ASSET_PREFIX + name;
    assets.set(ASSET_PREFIX + name, asset(file.contents, TYPES[ext] ?? 'application/octet-stream'));
  }
  if (!names['js'] || !names['css']) throw new Error('The explorer build produced no script or no stylesheet.');
  return { assets, script: names['js'], style: names['css'] };
}

const page = (script: string, style: string, options: ExplorerPageOptions) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.persistedOperations ? '<meta name="strata-persisted-operations" content="only">\n' : ''}<title>Strata Storage Explorer</title>
<link rel="stylesheet" href="${style}">
<script type="module" src="${script}"></script>
</head>
<body><div id="app"></div></body>
</html>
`;
