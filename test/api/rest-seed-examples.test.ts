import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startGateway, type GatewayProcess } from '../support/gateway-process.ts';

/**
 * Seed 004's curl examples, run verbatim with the real curl binary against a real gateway process
 * (`node bin/strata.js serve` on the embedded database). They are read from the seed's ```bash
 * blocks in test/fixtures/seed-004.txt, a copy of shared/seeds/004_*.txt committed so the test
 * needs nothing outside the repository; when the shared copy is there, the fixture must be
 * identical to it, so an edit to the seed fails here until the fixture is updated.
 *
 * Nothing in the commands is substituted. Two things are arranged around them instead:
 * - the seed's host, http://localhost:8082, is where curl connects in name only: the .curlrc
 *   (CURL_HOME) has `connect-to = localhost:8082:127.0.0.1:<port>`, so curl sends the command's
 *   URL and Host header unchanged to the gateway's free port (a fixed 8082 could be taken);
 * - the Celery example updates `eval_123`, which no example creates, so the test creates it
 *   (POST /evaluations, as the seed's own create example does) before running the examples.
 * The same .curlrc makes curl print the status after the body, so the commands stay untouched.
 */
const FIXTURE = fileURLToPath(new URL('../fixtures/seed-004.txt', import.meta.url));
const SHARED_SEEDS = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));
const SEED_HOST = 'localhost:8082';

/** Every `curl ...` command of the ```bash blocks, continuation lines and multi-line quotes included. */
export function curlCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap(commandsOf).filter((c) => /^curl\s/.test(c));
}

/** Splits shell text into commands: a newline ends one unless it is quoted or escaped. Comments are dropped. */
function commandsOf(text: string): string[] {
  const commands: string[] = [];
  let current = '';
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (!quote && ch === '#' && (current === '' || /\s$/.test(current))) {
      while (i < text.length && text[i] !== '\n') i++;
      i--;
      continue;
    }
    if (ch === '\\' && quote !== "'" && i + 1 < text.length) {
      current += ch + text[++i];
      continue;
    }
    if ((ch === '"' || ch === "'") && (!quote || quote === ch)) quote = quote ? null : ch;
    if (ch === '\n' && !quote) {
      if (current.trim()) commands.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim()) commands.push(current.trim());
  return commands;
}

interface CurlResult {
  status: number;
  body: any;
}

function runCurl(command: string, curlHome: string): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { env: { ...process.env, CURL_HOME: curlHome, HOME: curlHome }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`curl exited ${code}: ${err}\n${command}`));
      const cut = out.lastIndexOf('\n');
      const text = out.slice(0, cut);
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: checked as text
      }
      resolve({ status: Number(out.slice(cut + 1)), body });
    });
  });
}

/** What each example must answer: seed 004's status and shape (fields it shows or implies). */
const EXPECTED: { match: RegExp; check(r: CurlResult): void }[] = [
  {
    match: /\/storage-info$/,
    check: ({ body }) => {
      assert.equal(typeof body.primary_backend, 'string');
      assert.equal(body.storage_thresholds.inline_threshold, 10240);
      assert.equal(body.storage_thresholds.preview_size, 1000);
    },
  },
  {
    match: /-X POST \S+\/evaluations \\[\s\S]*"test-123"/,
    check: ({ body }) => assert.deepEqual([body.id, body.code, body.language, body.status], ['test-123', 'print("Hello")', 'python', 'queued']),
  },
  {
    match: /-X POST \S+\/evaluations \\[\s\S]*eval_20240701_120000_abc123/,
    check: ({ body }) => {
      assert.deepEqual([body.id, body.status, body.language], ['eval_20240701_120000_abc123', 'queued', 'python']);
      assert.equal(body.code, 'for i in range(10):\n    print(f"Count: {i}")');
      assert.deepEqual(body.metadata, { submitted_by: 'api', priority: 'normal' });
    },
  },
  {
    match: /-X PUT \S+\/evaluations\/eval_20240701_120000_abc123/,
    check: ({ body }) => assert.deepEqual([body.status, body.output, body.runtime_ms], ['completed', 'Count: 0\nCount: 1\n...', 150]),
  },
  {
    match: /include_storage_info=true/,
    check: ({ body }) => {
      // The seed's "Response includes": id, status, output and _storage_info with these three fields.
      assert.deepEqual([body.id, body.status, body.output], ['eval_20240701_120000_abc123', 'completed', 'Count: 0\nCount: 1\n...']);
      assert.equal(body._storage_info.output_location, 'inline');
      assert.equal(body._storage_info.output_size, Buffer.byteLength('Count: 0\nCount: 1\n...'));
      assert.equal(body._storage_info.output_truncated, false);
    },
  },
  {
    match: /\/evaluations\/running$/,
    check: ({ body }) => {
      assert.ok(Array.isArray(body.running_evaluations));
      assert.equal(body.count, body.running_evaluations.length);
    },
  },
  {
    match: /celery-update/,
    check: ({ body }) => assert.deepEqual([body.id, body.status, body.celery_task_id, body.output], ['eval_123', 'completed', 'celery-task-456', 'Task completed successfully']),
  },
  { match: /\/health$/, check: () => {} },
  {
    match: /\/storage\/overview$/,
    check: ({ body }) => {
      // The seed's "Returns metrics for all backends": database and file, with these fields.
      assert.equal(body.backends.database.type, 'pglite');
      assert.equal(body.backends.database.status, 'healthy');
      assert.equal(body.backends.database.metrics.evaluations, 3); // test-123, eval_2024..., and eval_123 made by the test
      assert.equal(typeof body.backends.database.metrics.size_bytes, 'number');
      assert.equal(body.backends.file.type, 'filesystem');
      assert.equal(typeof body.backends.file.metrics.files, 'number');
      assert.equal(typeof body.backends.file.metrics.total_size_bytes, 'number');
    },
  },
];

describe("seed 004's curl examples, verbatim, against a gateway process", () => {
  const seed = readFileSync(FIXTURE, 'utf8');
  let gateway: GatewayProcess;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-curl-'));
    gateway = await startGateway({ DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'info' });
    const port = new URL(gateway.url).port;
    writeFileSync(join(dir, '.curlrc'), `silent\nshow-error\nwrite-out = "\\n%{http_code}"\nconnect-to = ${SEED_HOST}:127.0.0.1:${port}\n`);
    const made = await fetch(gateway.url.replace(/\/graphql$/, '/evaluations'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'eval_123', code: 'print("celery")', language: 'python', status: 'queued' }) });
    assert.equal(made.status, 200, `creating eval_123: ${await made.text()}`);
  });
  after(async () => {
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the committed fixture is the shared seed 004, byte for byte (when shared/seeds is there)', (t) => {
    const shared = existsSync(SHARED_SEEDS) ? readdirSync(SHARED_SEEDS).find((f) => f.startsWith('004_')) : undefined;
    if (!shared) return t.skip(`no shared seed 004 in ${SHARED_SEEDS}; the fixture is used as committed`);
    assert.equal(seed, readFileSync(join(SHARED_SEEDS, shared), 'utf8'), `test/fixtures/seed-004.txt differs from ${shared}: copy the seed over the fixture`);
  });

  it('finds the examples in the seed', () => {
    assert.equal(curlCommands(seed).length, EXPECTED.length);
  });

  it('answers each with 200 and the shape the seed shows, in the seed\'s order, each command as written', async () => {
    for (const [i, command] of curlCommands(seed).entries()) {
      const expected = EXPECTED[i]!;
      assert.match(command, expected.match, `example ${i + 1} is the one expected here`);
      const result = await runCurl(command, dir);
      assert.equal(result.status, 200, `${command}\n-> ${result.status} ${JSON.stringify(result.body)}`);
      expected.check(result);
    }
  });
});
