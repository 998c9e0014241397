import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generatedText, hashBody, peakRssDuring, startMeasuredGateway } from '../support/large-text.ts';
import { createTestSchema, postgresUnavailable, TEST_DATABASE_URL } from '../support/postgres.ts';

const SIZE = 200 * 1024 * 1024;

// A PostgreSQL server keeps the gateway's own memory small (the embedded database's WebAssembly heap
// is several hundred MiB), so the measurement shows what the transfer costs; PGlite otherwise.
const usePostgres = !(await postgresUnavailable());

describe(`a 200 MB output through a real gateway process (${usePostgres ? 'PostgreSQL' : 'embedded database'}, file blobs)`, () => {
  it('uploads and downloads it streaming: the sha256 survives and peak RSS grows far less than the output', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'strata-large-'));
    const schema = usePostgres ? await createTestSchema() : null;
    const gateway = await startMeasuredGateway({ DATA_DIR: dataDir, ...(schema ? { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema.name } : {}) });
    try {
      const gql = (query: string) => fetch(`${gateway.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      await gql('mutation { createEvaluation(input: { id: "large", code: "print(1)" }) { id } }');
      const before = gateway.rssMb();
      const text = generatedText(SIZE);
      const { result, peakMb } = await peakRssDuring(gateway, async () => {
        const put = await fetch(`${gateway.origin}/evaluations/large/output`, { method: 'PUT', body: text.body, duplex: 'half' } as RequestInit);
        const stored = await put.json();
        const download = await hashBody(await fetch(`${gateway.origin}/evaluations/large/output`));
        return { status: put.status, stored, download };
      });
      assert.equal(result.status, 200, JSON.stringify(result.stored));
      assert.deepEqual([result.stored.location, result.stored.size, result.stored.sha256], ['FILE', SIZE, text.sha256()]);
      assert.deepEqual(result.download, { bytes: SIZE, sha256: text.sha256() }, 'every byte came back');
      const growth = peakMb - before;
      console.log(`# gateway RSS ${before.toFixed(0)} MiB before; highest sample during a 200 MiB upload and download ${peakMb.toFixed(0)} MiB (+${growth.toFixed(0)} MiB)`);
      assert.ok(growth < 80, `peak RSS grew by ${growth.toFixed(0)} MiB for a 200 MiB output`);
    } finally {
      await gateway.stop();
      await schema?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
