import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { createSchema, createYoga } from 'graphql-yoga';
import { buildExplorer } from '../../src/http/explorer-bundle.ts';
import { useExplorer, type ExplorerOptions } from '../../src/plugins/use-explorer.ts';
import { capturingLogger, createTestApp, type TestApp } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { API_KEYS_ENV } from '../support/keys.ts';

// How the gateway serves the Storage Explorer (src/plugins/use-explorer.ts); what the page does is
// test/browser/explorer.test.ts. In process, through yoga.fetch, with API keys configured.
describe('GET /explorer', () => {
  let app: TestApp;
  let page: Response;
  let html: string;
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => app.yoga.fetch(`http://yoga${path}`, { method, headers });
  const assets = () => [...html.matchAll(/(?:src|href)="(\/explorer\/assets\/[^"]+)"/g)].map((m) => m[1]!);

  before(async () => {
    app = await createTestApp('memory', {}, undefined, { STRATA_API_KEYS: API_KEYS_ENV });
    page = await get('/explorer');
    html = await page.text();
  });
  after(() => app.close());

  it('serves the page without a key (it holds no data), revalidated, with a strict CSP', async () => {
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'/);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    const etag = page.headers.get('etag')!;
    assert.equal((await get('/explorer/', { 'if-none-match': etag })).status, 304);
    assert.equal((await get('/explorer/evaluations/anything')).status, 200); // one page for every view
    // ... while the data it shows needs a key.
    const data = await app.yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ evaluations { totalCount } }"}' });
    assert.equal(data.status, 401);
  });

  it('serves one hashed script and one stylesheet, immutable, gzipped when accepted, within the size budget', async () => {
    const [script, style] = [assets().find((a) => a.endsWith('.js'))!, assets().find((a) => a.endsWith('.css'))!];
    assert.match(script, /^\/explorer\/assets\/main-[A-Z0-9]+\.js$/);
    const js = await get(script, { 'accept-encoding': 'gzip' });
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(js.headers.get('content-encoding'), 'gzip');
    const gzipped = new Uint8Array(await js.arrayBuffer());
    const plain = gunzipSync(gzipped);
    assert.equal(Number(js.headers.get('content-length')), gzipped.byteLength);
    assert.ok(plain.byteLength < 120_000, `script is ${plain.byteLength} bytes`);
    assert.ok(gzipped.byteLength < 40_000, `script is ${gzipped.byteLength} bytes gzipped`);
    const css = await get(style);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal(css.headers.get('content-encoding'), null);
    assert.match(await css.text(), /\.badge/);
    assert.equal((await get(script, { 'if-none-match': js.headers.get('etag')! })).status, 304);
    assert.equal((await get(script, {}, 'HEAD')).status, 200);
  });

  it('hostile paths and methods: only the built files are served (a map lookup, never the file system)', async () => {
    for (const path of ['/explorer/assets/main-NOPE.js', '/explorer/assets/%2e%2e%2f%2e%2e%2fpackage.json', '/explorer/assets/..%2Fmain.tsx', '/explorer/assets/main.js%00']) {
      const res = await get(path);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(await res.text(), /"name"|import /, path);
    }
    const post = await app.yoga.fetch('http://yoga/explorer', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  });
});

describe('the page tells the explorer whether the gateway runs persisted operations only', () => {
  const META = '<meta name="strata-persisted-operations" content="only">';
  it('PERSISTED_OPERATIONS_ONLY=true: the page says so (the explorer then sends hashes); otherwise it does not', async () => {
    for (const [env, expected] of [[{ PERSISTED_OPERATIONS_ONLY: 'true' }, true], [{}, false]] as const) {
      const app = await createTestApp('memory', {}, undefined, env);
      try {
        const html = await (await app.yoga.fetch('http://yoga/explorer')).text();
        assert.equal(html.includes(META), expected, JSON.stringify(env));
      } finally {
        await app.close();
      }
    }
  });
});

describe('EXPLORER_ENABLED=false', () => {
  it('does not serve the explorer', async () => {
    const app = await createTestApp('memory', {}, undefined, { EXPLORER_ENABLED: 'false' });
    try {
      assert.equal((await app.yoga.fetch('http://yoga/explorer')).status, 404);
    } finally {
      await app.close();
    }
  });
});

// The bundle is built when the plugin is made (the gateway's start), not on the first visit; a
// failed build is logged then, and /explorer says so. Counted, never timed.
describe('the explorer bundle is built at start', () => {
  const capture = () => capturingLogger('info');
  const schema = createSchema({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } } });
  const yogaWith = (options: ExplorerOptions) => createYoga({ schema, plugins: [useExplorer(options)], logging: false });

  it('builds once, before any request, and serves that build to every visitor', async () => {
    let calls = 0;
    let finished = false;
    const { logger } = capture();
    const yoga = yogaWith({ logger, build: () => (calls++, buildExplorer().finally(() => (finished = true))) });
    assert.equal(calls, 1, 'the build started when the plugin was made');
    await eventually('the build to finish with no request sent', async () => (finished ? true : undefined));
    for (let i = 0; i < 3; i++) assert.equal((await yoga.fetch('http://yoga/explorer')).status, 200);
    assert.equal(calls, 1, 'requests do not build again');
  });

  it('a failed build is logged at start and /explorer answers 500 saying why, without building again', async () => {
    let calls = 0;
    const { logger, lines } = capture();
    const yoga = yogaWith({ logger, build: () => (calls++, Promise.reject(new Error('Could not resolve "./missing.tsx"'))) });
    const logged = await eventually('the failure in the log, before any request', async () => lines.find((l) => /building the Storage Explorer failed/.test(l.msg)));
    assert.equal(logged.level, 50, 'logged as an error');
    assert.equal(logged.err?.message, 'Could not resolve "./missing.tsx"', 'with the cause');
    for (const path of ['/explorer', '/explorer/evaluations/x', '/explorer/assets/main-X.js']) {
      const res = await yoga.fetch(`http://yoga${path}`);
      assert.equal(res.status, 500, path);
      assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.match(await res.text(), /could not be built when the gateway started.*"building the Storage Explorer failed".*restart the gateway/, path);
    }
    assert.equal(calls, 1, 'not retried per request');
    assert.equal(lines.filter((l) => l.level >= 50).length, 1, 'logged once, at start, not per request');
    const graphql = await yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ ok }"}' });
    assert.deepEqual(await graphql.json(), { data: { ok: true } }, 'the rest of the gateway is unaffected');
  });
});
