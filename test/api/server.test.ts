import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, it } from 'node:test';

describe('strata serve (a real process over HTTP)', () => {
  it('serves GraphQL on the embedded default and exits 0 on SIGTERM after closing everything', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'strata-serve-'));
    const child = spawn(process.execPath, ['bin/strata.js', 'serve'], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: '', STORAGE_BACKEND: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      child.stdout.on('data', (chunk) => (output += String(chunk)));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', () => {
          const match = /"url":"([^"]+)"/.exec(output);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code} before listening: ${output}`)));
      });
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation { createEvaluation(input: { code: "print(1)" }) { status } }' }),
      });
      assert.deepEqual(await res.json(), { data: { createEvaluation: { status: 'QUEUED' } } });
      const graphiql = await fetch(url, { headers: { accept: 'text/html' } });
      assert.match(await graphiql.text(), /GraphiQL|graphiql/);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
      assert.match(output, /"msg":"stopped"/);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
