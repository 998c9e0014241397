/**
 * `npm run bench:texts`: a 200 MiB output through a real gateway process (PostgreSQL rows, file
 * blobs): streamed upload (PUT), download (GET), gzip download and a 1 MiB Range read, with
 * throughput and the gateway's RSS sampled every 20 ms from /proc. Appends its section to
 * bench/RESULTS.md (between its own markers; other sections are left as they are).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generatedText, hashBody, peakRssDuring, startMeasuredGateway } from '../test/support/large-text.ts';
import { createTestSchema, TEST_DATABASE_URL } from '../test/support/postgres.ts';

const SIZE = 200 * 1024 * 1024;
const MiB = 1024 * 1024;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'strata-bench-texts-'));
  const schema = await createTestSchema();
  const gateway = await startMeasuredGateway({ DATA_DIR: dataDir, DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema.name, NODE_ENV: 'production' });
  const rows: string[] = [];
  try {
    await fetch(`${gateway.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation { createEvaluation(input: { id: "bench-large", code: "x" }) { id } }' }) });
    const base = gateway.rssMb();
    const url = `${gateway.origin}/evaluations/bench-large/output`;
    const measure = async (name: string, run: () => Promise<number>) => {
      const started = performance.now();
      const { result: bytes, peakMb } = await peakRssDuring(gateway, run);
      const seconds = (performance.now() - started) / 1000;
      rows.push(`| ${name} | ${(bytes / MiB).toFixed(0)} MiB | ${seconds.toFixed(2)} s | ${(bytes / MiB / seconds).toFixed(0)} MiB/s | ${peakMb.toFixed(0)} MiB (+${(peakMb - base).toFixed(0)}) |`);
      console.log(rows.at(-1));
    };
    const text = generatedText(SIZE);
    await measure('PUT upload (streamed to a file blob)', async () => {
      const res = await fetch(url, { method: 'PUT', body: text.body, duplex: 'half' } as RequestInit);
      const body = await res.json();
      if (body.sha256 !== text.sha256()) throw new Error(`upload stored ${JSON.stringify(body)}`);
      return SIZE;
    });
    await measure('GET download (identity)', async () => {
      const got = await hashBody(await fetch(url, { headers: { 'accept-encoding': 'identity' } }));
      if (got.sha256 !== text.sha256()) throw new Error('download differs');
      return got.bytes;
    });
    await measure('GET download (gzip on the fly; counted after the client decompressed)', async () => (await hashBody(await fetch(url, { headers: { 'accept-encoding': 'gzip' } }))).bytes);
    await measure('GET Range: 1 MiB from the middle', async () => (await hashBody(await fetch(url, { headers: { range: `bytes=${SIZE / 2}-${SIZE / 2 + MiB - 1}` } }))).bytes);
    writeSection(rows, base);
  } finally {
    await gateway.stop();
    await schema.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function writeSection(rows: string[], base: number): void {
  const begin = '<!-- bench:texts:begin: written by `npm run bench:texts` -->';
  const end = '<!-- bench:texts:end -->';
  const section = [
    begin,
    '## Large outputs (issue 4)',
    '',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), Node ${process.version}. One gateway process`,
    '(`strata serve`, PostgreSQL rows, `BLOB_BACKEND=file` on local disk), client in the bench process on 127.0.0.1.',
    `A 200 MiB generated text (UTF-8, sha256 checked after the round trip). Gateway RSS before: ${base.toFixed(0)} MiB;`,
    'peak is the highest of samples taken every 20 ms from /proc/<pid>/status during each step.',
    '',
    '| step | bytes | time | throughput | gateway peak RSS |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'The upload holds at most LARGE_FILE_THRESHOLD bytes to choose where the text goes, then streams the rest',
    'to a temporary file (fsync, rename); downloads pipe the file to the socket with backpressure. So memory',
    'stays flat whatever the size: `test/api/large-output.test.ts` asserts the same in every `npm test`.',
    end,
  ].join('\n');
  // Re-read right before writing: other benchmarks write their own sections of this file.
  const path = new URL('./RESULTS.md', import.meta.url);
  const current = readFileSync(path, 'utf8');
  const from = current.indexOf(begin);
  const next = from >= 0 ? current.slice(0, from) + section + current.slice(current.indexOf(end) + end.length) : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, next);
}

await main();
