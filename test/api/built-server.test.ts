import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../support/eventually.ts';
import { startGateway, type GatewayProcess } from '../support/gateway-process.ts';

/**
 * The optional production build: `npm run build` into a directory of its own (under dist/, so
 * Node finds package.json and node_modules from it as from dist/), then the compiled CLI, without
 * tsx, as `npm run start:built` runs it: `help` and `migrate` exit 0, `serve` on the embedded
 * database answers /health, GraphQL, a REST route (src/rest/operations.graphql) and /explorer
 * (bundled at start from the copied explorer sources), and exits 0 on SIGTERM.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('npm run build, then the compiled server (node dist/src/cli.js)', () => {
  let outDir: string;
  let dataDir: string;
  let cli: string;
  let gateway: GatewayProcess | undefined;
  const env = () => ({ ...process.env, DATA_DIR: dataDir, STORAGE_BACKEND: 'postgres', LOG_LEVEL: 'warn' });
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: ROOT, env: env(), encoding: 'utf8', timeout: 30_000 });

  before(() => {
    mkdirSync(join(ROOT, 'dist'), { recursive: true }); // a fresh clone has no dist/ yet
    outDir = mkdtempSync(join(ROOT, 'dist', 'test-built-'));
    dataDir = mkdtempSync(join(tmpdir(), 'strata-built-'));
    const build = spawnSync('npm', ['run', 'build', '--', relative(ROOT, outDir)], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
    cli = relative(ROOT, join(outDir, 'src', 'cli.js'));
  });
  after(async () => {
    await gateway?.stop();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('emits JavaScript with the files the server reads beside it', () => {
    for (const path of ['src/cli.js', 'src/rest/operations.graphql', 'src/explorer/main.tsx', 'src/explorer/tsconfig.json', 'src/client/index.ts', 'tsconfig.json']) {
      assert.ok(existsSync(join(outDir, path)), `${path} in the build`);
    }
    assert.deepEqual(readdirSync(join(outDir, 'migrations')), readdirSync(join(ROOT, 'migrations')));
    assert.equal(existsSync(join(outDir, 'test')), false, 'tests are not part of the build');
  });

  it('runs CLI subcommands: help, and migrate on the embedded database', () => {
    const help = run('help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /Usage: strata <command>/);
    const migrate = run('migrate');
    assert.equal(migrate.status, 0, migrate.stderr);
    assert.match(migrate.stdout, /Database is up to date\./);
  });

  it('serves /health, GraphQL, REST and the explorer, then exits 0 on SIGTERM', async () => {
    gateway = await startGateway({ DATA_DIR: dataDir, STORAGE_BACKEND: 'postgres', LOG_LEVEL: 'info' }, cli);
    const origin = new URL(gateway.url).origin;
    assert.equal((await fetch(`${origin}/health`)).status, 200);

    const graphql = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { createEvaluation(input: { code: "print(1)", language: "python" }) { id status } }' }),
    });
    const created = (await graphql.json()) as { data?: { createEvaluation: { id: string; status: string } }; errors?: unknown };
    assert.equal(graphql.status, 200, JSON.stringify(created));
    const id = created.data!.createEvaluation.id;

    const rest = await fetch(`${origin}/evaluations/${id}`);
    assert.equal(rest.status, 200);
    assert.equal(((await rest.json()) as { id: string }).id, id);

    // The bundle is built in the background as the gateway starts: asked until it is there.
    const page = await eventually('the explorer page', async () => {
      const res = await fetch(`${origin}/explorer`);
      return res.status === 200 ? res.text() : undefined;
    }, 30_000);
    const script = /src="(\/explorer\/assets\/main-[A-Z0-9]+\.js)"/.exec(page)?.[1];
    assert.ok(script, 'the page names its script');
    const js = await fetch(origin + script);
    assert.equal(js.status, 200);
    assert.ok((await js.text()).length > 10_000, 'the explorer script is bundled');

    assert.equal(await gateway.stop(), 0, gateway.output());
    assert.match(gateway.output(), /"msg":"stopped"/);
    gateway = undefined;
  });
});
