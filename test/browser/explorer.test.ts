import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createStrataClient, type StrataClient } from 'strata/client';
import { chromiumUnavailable, launchChromium } from '../support/browser.ts';
import { startGateway, type GatewayProcess } from '../support/gateway-process.ts';
import { API_KEYS_ENV, KEYS } from '../support/keys.ts';
import { createTestSchema, postgresUnavailable, TEST_DATABASE_URL, type TestSchema } from '../support/postgres.ts';

// The Storage Explorer in Debian's Chromium (playwright-core), against a real gateway process with
// API keys on a PostgreSQL schema filled by `strata seed`. Screenshots go to test-results/.
// Every assertion carries its own message or is a waitFor: a bare failing assert.ok makes Node read
// and re-parse this file's source to describe the expression, which under tsx can take minutes.
// (PostgreSQL rather than PGlite: the seed and the gateway are two processes, and each PGlite start
// costs seconds of WebAssembly start-up on a busy machine.)
const SHOTS = 'test-results';
const SEEDED = 60; // eval_seed_000001..60: every 10th RUNNING, every 10th+1 QUEUED, +2 FAILED, rest COMPLETED

const skip = chromiumUnavailable() ?? (await postgresUnavailable());

describe('Storage Explorer in Chromium', { skip: skip ?? false }, () => {
  let schema: TestSchema;
  let dataDir: string;
  let gateway: GatewayProcess;
  let base: string;
  let browser: Browser;
  let page: Page;
  let api: StrataClient;
  let finishing: string; // RUNNING in the table, finished by the test while the page watches
  let detailed: string; // RUNNING with logs and metrics, opened in the detail view
  const problems: string[] = [];
  const database = () => ({ DATA_DIR: dataDir, DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema.name });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'strata-explorer-'));
    schema = await createTestSchema();
    const env = { ...process.env, ...database(), LOG_LEVEL: 'warn' };
    const seeded = spawnSync(process.execPath, ['bin/strata.js', 'seed', '--evaluations', String(SEEDED), '--events', '6', '--metrics', '20'], { env, encoding: 'utf8' });
    assert.equal(seeded.status, 0, seeded.stderr);
    gateway = await startGateway({ ...database(), STRATA_API_KEYS: API_KEYS_ENV, RATE_LIMIT_PER_SECOND: '0' }); // logs at info: startGateway reads the URL from them
    base = gateway.url.replace(/\/graphql$/, '');
    api = createStrataClient({ url: gateway.url, apiKey: KEYS.admin });
    await seedGraph(api);
    finishing = (await api.createEvaluation({ code: 'print("finishing")', language: 'python' })).id;
    await api.markRunning(finishing, { host: 'worker-1' });
    detailed = (await api.createEvaluation({ code: 'train()', language: 'python', taskId: 'task_train', metadata: { model: 'small' } })).id;
    await api.markRunning(detailed, { host: 'worker-2', containerId: 'c-42' });
    await api.appendLogs(detailed, ['epoch 1 starting', 'epoch 1 done', { text: 'warning: slow disk', stream: 'stderr' }]);
    await api.recordMetrics(detailed, Array.from({ length: 10 }, (_, i) => [
      { name: 'loss', value: 2 / (i + 1), step: i },
      { name: 'accuracy', value: 0.5 + i * 0.04, step: i, unit: 'ratio' },
    ]).flat());

    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    page = await openPage();
  });

  /** A fresh tab (its own sessionStorage) in UTC, so the time filter's local inputs are UTC. */
  const openPage = async () => {
    const tab = await browser.newPage({ viewport: { width: 1360, height: 900 }, acceptDownloads: true, timezoneId: 'UTC' });
    tab.setDefaultTimeout(20_000);
    tab.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    tab.on('console', (msg) => {
      // The 401 that makes the page ask for a key is expected; anything else (CSP, script errors) is not.
      if (msg.type() === 'error' && !/status of (401|403)/.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
    return tab;
  };

  after(async () => {
    api?.close();
    await browser?.close();
    await gateway?.stop();
    await schema?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `explorer-${name}.png`), fullPage: true });
  const texts = (selector: string) => page.locator(selector).allTextContents();
  const rowIds = () => page.locator('#evaluations tbody tr[data-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')!));
  // Runs in the page (typed loosely: this file is typed for Node, not the DOM; and not a string,
  // which the page's CSP refuses to evaluate).
  const firstRowIs = (id: string, same: boolean) =>
    page.waitForFunction(
      (arg) => ((globalThis as any).document.querySelector('#evaluations tbody tr')?.getAttribute('data-id') === arg.id) === arg.same,
      { id, same },
    );

  it('asks for the API key once (401), then lists the seeded evaluations with counts by status', async () => {
    await page.goto(`${base}/explorer`);
    await page.locator('#key-prompt').waitFor();
    await shot('key-prompt');
    await page.fill('input[name=apiKey]', KEYS.worker);
    await page.click('#key-prompt button[type=submit]');
    await page.locator('#key-prompt').waitFor({ state: 'detached' });
    await page.locator('[data-total="62"]').waitFor();
    const ids = await rowIds();
    assert.equal(ids.length, 20);
    assert.deepEqual(ids.slice(0, 2).sort(), [detailed, finishing].sort()); // newest first
    assert.equal(ids[2], 'eval_seed_000060');
    await page.locator('[data-count-status=RUNNING] b', { hasText: '8' }).waitFor(); // 6 seeded + 2
    assert.equal(await page.locator('[data-count-status=FAILED] b').textContent(), '6');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('strata.apiKey')), KEYS.worker);
    await shot('evaluations');
  });

  it('a reload reuses the key from sessionStorage: no prompt, no 401', async () => {
    const refused: string[] = [];
    const onResponse = (res: { status(): number; url(): string }) => void (res.status() === 401 && refused.push(res.url()));
    page.on('response', onResponse);
    try {
      await page.reload();
      await page.locator('[data-total="62"]').waitFor();
      await page.locator('[data-count-status=RUNNING] b', { hasText: '8' }).waitFor();
      assert.equal(await page.locator('#key-prompt').count(), 0, 'no key prompt after the reload');
      assert.deepEqual(refused, [], 'no request was refused for want of a key');
    } finally {
      page.off('response', onResponse);
    }
  });

  it('filters by status and language, and pages with cursors', async () => {
    await page.selectOption('select[name=status]', 'FAILED');
    await page.locator('[data-total="6"]').waitFor();
    assert.deepEqual([...new Set(await texts('#evaluations tbody [data-status]'))], ['FAILED']);
    await page.selectOption('select[name=status]', '');
    await page.selectOption('select[name=language]', 'rust');
    await page.locator('[data-total="15"]').waitFor();
    assert.deepEqual([...new Set(await texts('#evaluations tbody td:nth-child(3)'))], ['rust']);
    await shot('filtered');

    await page.selectOption('select[name=language]', '');
    await page.locator('[data-total="62"]').waitFor();
    const first = await rowIds();
    await page.click('button[name=next]');
    await page.locator('[data-page="2"]').waitFor();
    await firstRowIs(first[0]!, false);
    const second = await rowIds();
    assert.equal(second.length, 20);
    assert.equal(second.filter((id) => first.includes(id)).length, 0);
    await page.click('button[name=prev]');
    await page.locator('[data-page="1"]').waitFor();
    await firstRowIs(first[0]!, true);
  });

  // eval_seed_000001..60 are created a minute apart from 2024-07-01 00:01 UTC (src/seed.ts), so
  // [00:10, 00:30) holds i = 10..29: 20 evaluations, 2 RUNNING, 2 QUEUED, 2 FAILED, 14 COMPLETED.
  const seeded = (i: number) => `eval_seed_${String(i).padStart(6, '0')}`;

  it('a time range filters the table and the counts; sorting orders it; a status count filters by it', async () => {
    await page.fill('input[name=after]', '2024-07-01T00:10');
    await page.fill('input[name=before]', '2024-07-01T00:30');
    await page.locator('[data-total="20"]').waitFor();
    await page.locator('[data-count-status=COMPLETED] b', { hasText: '14' }).waitFor();
    for (const [status, n] of [['RUNNING', '2'], ['QUEUED', '2'], ['FAILED', '2'], ['CANCELLED', '0']]) {
      assert.equal(await page.locator(`[data-count-status=${status}] b`).textContent(), n, `${status} count in the range`);
    }
    assert.deepEqual(await rowIds(), Array.from({ length: 20 }, (_, k) => seeded(29 - k)), 'newest first, only the range');

    await page.selectOption('select[name=sort]', 'CREATED_AT ASC');
    await firstRowIs(seeded(10), true);
    assert.deepEqual(await rowIds(), Array.from({ length: 20 }, (_, k) => seeded(10 + k)), 'oldest first');
    // Longest runtime first: the seed's runtime is 50 + (i * 7919) % 5000 ms for the finished
    // ones; the four without a runtime (RUNNING, QUEUED) come last, newest id first.
    await page.selectOption('select[name=sort]', 'RUNTIME_MS DESC');
    const finished = [...Array(20).keys()].map((k) => 10 + k).filter((i) => i % 10 > 1);
    const byRuntime = finished.sort((a, b) => ((b * 7919) % 5000) - ((a * 7919) % 5000)).map(seeded);
    await firstRowIs(byRuntime[0]!, true);
    assert.deepEqual(await rowIds(), [...byRuntime, ...[21, 20, 11, 10].map(seeded)], 'longest runtime first');
    assert.equal(await page.locator('#evaluations tbody tr td.num').first().textContent(), '4.7 s');
    await shot('sorted-range');

    await page.click('[data-count-status=FAILED]');
    await page.locator('[data-total="2"]').waitFor();
    assert.deepEqual(await rowIds(), [seeded(22), seeded(12)], 'the FAILED two, still by runtime');
    assert.equal(await page.locator('select[name=status]').inputValue(), 'FAILED', 'the status filter shows the count clicked');
    await page.click('[data-count-status=FAILED]'); // again: the filter is lifted
    await page.locator('[data-total="20"]').waitFor();
    assert.equal(await page.locator('select[name=status]').inputValue(), '');

    // Back to the whole table, newest first, for the live test.
    await page.fill('input[name=after]', '');
    await page.fill('input[name=before]', '');
    await page.selectOption('select[name=sort]', 'CREATED_AT DESC');
    await page.locator('[data-total="62"]').waitFor();
  });

  it('shows a RUNNING evaluation turn COMPLETED live, without a reload', async () => {
    await page.locator('#running [data-live=live]').waitFor();
    await page.locator(`#running li[data-id="${finishing}"]`).waitFor();
    await page.locator(`#evaluations tr[data-id="${finishing}"] [data-status=RUNNING]`).waitFor();
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await api.updateStatus(finishing, 'COMPLETED', { output: 'done' });
    await page.locator(`#evaluations tr[data-id="${finishing}"] [data-status=COMPLETED]`).waitFor();
    await page.locator(`#running .finished li[data-id="${finishing}"] [data-status=COMPLETED]`).waitFor();
    await page.locator(`#running ul:not(.finished) li[data-id="${finishing}"]`).waitFor({ state: 'detached' });
    await page.locator('[data-count-status=RUNNING] b', { hasText: '7' }).waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true);
    await shot('live-finished');
  });

  it('opens the detail: timeline, a chart per metric, the log tail, all live; output with a download', async () => {
    await page.click(`#running li[data-id="${detailed}"] a`);
    await page.locator(`[data-evaluation="${detailed}"]`).waitFor();
    await page.locator('figure.chart[data-metric=loss][data-points="10"]').waitFor();
    await page.locator('figure.chart[data-metric=accuracy][data-points="10"]').waitFor();
    const polyline = await page.locator('figure.chart[data-metric=loss] polyline').getAttribute('points');
    assert.equal(polyline?.trim().split(/\s+/).length, 10);
    assert.deepEqual(await texts('#logs .line .text'), ['epoch 1 starting', 'epoch 1 done', 'warning: slow disk']);
    assert.deepEqual(await texts('#timeline [data-type] b'), ['created', 'status_changed']);
    assert.match((await page.locator('#task-link').textContent()) ?? '', /train model/);

    for (const panel of ['#summary', '#logs', '#metrics']) await page.locator(`${panel} [data-live=live]`).waitFor();
    await api.appendLogs(detailed, ['epoch 2 starting', 'epoch 2 done']);
    await page.locator('#logs .line[data-seq="5"]').waitFor();
    await api.recordMetrics(detailed, [{ name: 'loss', value: 0.1, step: 10 }]);
    await page.locator('figure.chart[data-metric=loss][data-points="11"]').waitFor();
    await api.addEvent(detailed, 'checkpoint', 'saved epoch 2');
    await page.locator('#timeline [data-type=checkpoint]').waitFor();
    await api.updateStatus(detailed, 'COMPLETED', { output: 'accuracy: 0.86\n'.repeat(40) });
    await page.locator('#summary [data-status=COMPLETED]').waitFor();
    await page.locator('#output .preview', { hasText: 'accuracy: 0.86' }).waitFor();
    assert.deepEqual(await texts('#timeline [data-type] b'), ['created', 'status_changed', 'checkpoint', 'status_changed']);
    await shot('detail');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[name=download-output]')]);
    assert.equal(readFileSync((await download.path())!, 'utf8'), 'accuracy: 0.86\n'.repeat(40));
  });

  it('draws the task/result graph around the linked task, with a selectable depth', async () => {
    await page.click('#task-link a');
    await page.locator('svg.graph [data-vertex="task_train"]').waitFor();
    await page.locator('[data-vertices="4"]').waitFor(); // depth 2: task_train, result_a, result_b, task_eval
    await shot('graph');
    await page.selectOption('select[name=depth]', '1');
    await page.locator('[data-vertices="3"]').waitFor();
    await page.selectOption('select[name=depth]', '3');
    await page.locator('[data-vertices="5"]').waitFor(); // and result_c
    assert.equal(await page.locator('svg.graph g.edge').count(), 4);
    await page.locator(`#task li a:has-text("${detailed}")`).waitFor();
  });

  it('storage overview: health for any key, FORBIDDEN sizes explained, all of it with an admin key', async () => {
    await page.click('header nav a:has-text("Storage")');
    await page.locator('#storage-forbidden').waitFor();
    // The health rows come from their own query, which may answer after the FORBIDDEN one.
    await page.locator('#backends tbody tr[data-backend^="primary/"]').waitFor();
    await page.locator('#backends tbody tr[data-backend^="blobs/"]').waitFor();
    assert.equal(await page.locator('#backends [data-backend^="primary/"] .badge').textContent(), 'healthy');
    await shot('storage-forbidden');
    await page.click('#storage-forbidden button');
    await page.fill('input[name=apiKey]', KEYS.admin);
    await page.click('#key-prompt button[type=submit]');
    await page.locator('#fallback[data-pending="0"]').waitFor();
    await page.locator('#backends dl.metrics').first().waitFor();
    // A measured latency, and sizes formatted (640.0 KiB), not raw byte counts.
    const primary = page.locator('#backends tbody tr[data-backend="primary/postgres"]');
    assert.match((await primary.locator('td.num').textContent()) ?? '', /^\d+\.\d ms$/, 'primary latency in ms');
    const metrics = await primary.locator('dl.metrics').evaluate((dl) => {
      const dts = [...dl.querySelectorAll('dt')];
      return Object.fromEntries(dts.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]));
    });
    assert.match(String(metrics['size_bytes']), /^\d+(\.\d)? (B|KiB|MiB|GiB)$/, `size_bytes formatted: ${JSON.stringify(metrics)}`);
    assert.equal(metrics['evaluations'], '62', 'counts stay plain numbers');
    await shot('storage');
  });

  it('works against a gateway with PERSISTED_OPERATIONS_ONLY=true: every request and stream by hash, none as text', async () => {
    // The same database; a data directory of its own (its file blob store and fallback journal).
    const strict = await startGateway({ ...database(), DATA_DIR: join(dataDir, 'strict'), STRATA_API_KEYS: API_KEYS_ENV, RATE_LIMIT_PER_SECOND: '0', PERSISTED_OPERATIONS_ONLY: 'true' });
    const tab = await openPage();
    const sent = { byHash: 0, asText: 0 };
    tab.on('request', (req) => {
      if (!req.url().endsWith('/graphql') || req.method() !== 'POST') return;
      const body = req.postDataJSON() as { query?: string; extensions?: { persistedQuery?: unknown } };
      if (body.query !== undefined) sent.asText++;
      else if (body.extensions?.persistedQuery) sent.byHash++;
    });
    try {
      await tab.goto(`${strict.url.replace(/\/graphql$/, '')}/explorer`);
      await tab.locator('#key-prompt').waitFor();
      await tab.fill('input[name=apiKey]', KEYS.admin);
      await tab.click('#key-prompt button[type=submit]');
      await tab.locator('[data-total="62"]').waitFor();
      await tab.locator('[data-count-status=COMPLETED] b', { hasText: /^\d+$/ }).waitFor();
      await tab.locator('#running [data-live=live]').waitFor(); // the runningEvaluations subscription, by hash over SSE
      await tab.screenshot({ path: join(SHOTS, 'explorer-persisted-only.png'), fullPage: true });
      await tab.click('header nav a:has-text("Storage")');
      await tab.locator('#fallback[data-pending="0"]').waitFor();
      assert.equal(sent.asText, 0, 'no document sent as text');
      assert.ok(sent.byHash >= 5, `requests and streams by hash: ${sent.byHash}`);
    } finally {
      await tab.close();
      await strict.stop();
    }
  });

  it('logged no script, CSP or console errors', () => {
    assert.deepEqual(problems, []);
  });
});

/** task_train -produced-> result_a, result_b; result_b -input_of-> task_eval -produced-> result_c -> task_report. */
async function seedGraph(api: StrataClient): Promise<void> {
  const run = (query: string, variables: Record<string, unknown>) => api.request(query as never, variables as never);
  await run('mutation($id: ID!, $name: String!) { createTask(input: { id: $id, name: $name, status: "done" }) { id } }', { id: 'task_train', name: 'train model' });
  await run('mutation($id: ID!, $name: String!) { createTask(input: { id: $id, name: $name }) { id } }', { id: 'task_eval', name: 'evaluate' });
  await run('mutation($id: ID!, $name: String!) { createTask(input: { id: $id, name: $name }) { id } }', { id: 'task_report', name: 'report' });
  for (const id of ['result_a', 'result_b', 'result_c']) await run('mutation($id: ID!) { createResult(input: { id: $id, data: { ok: true } }) { id } }', { id });
  const link = (from: string, to: string, type: string) => run('mutation($from: ID!, $to: ID!, $type: String!) { link(from: $from, to: $to, type: $type) { id } }', { from, to, type });
  await link('task_train', 'result_a', 'produced');
  await link('task_train', 'result_b', 'produced');
  await link('result_b', 'task_eval', 'input_of');
  await link('task_eval', 'result_c', 'produced');
  await link('result_c', 'task_report', 'input_of');
}
