import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testConfig, type BlobConfig } from '../../src/config.ts';
import { EMULATOR_CREDENTIALS, startS3Emulator } from './s3.ts';

export type BlobBackendName = 'memory' | 'file' | 's3';

/** Blob settings for one backend: a temporary directory for file, an emulator for S3; `close` removes them. */
export async function blobConfigFor(backend: BlobBackendName): Promise<{ blobs: BlobConfig; close(): Promise<void> }> {
  const base = testConfig().blobs;
  if (backend === 'memory') return { blobs: { ...base, backend }, close: async () => {} };
  if (backend === 'file') {
    const dir = mkdtempSync(join(tmpdir(), 'strata-files-'));
    return { blobs: { ...base, backend, filePath: dir }, close: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const emulator = await startS3Emulator();
  const s3 = { bucket: emulator.bucket, endpoint: emulator.endpoint, region: 'us-east-1', credentials: EMULATOR_CREDENTIALS, forcePathStyle: true };
  return { blobs: { ...base, backend, s3 }, close: () => emulator.close() };
}

/** A body that arrives in chunks, as a client's upload does. */
export function streamOf(data: Buffer, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= data.length) return controller.close();
      controller.enqueue(data.subarray(offset, (offset += chunk)));
    },
  });
}

/** Mixed-width text: ASCII, 2-, 3- and 4-byte characters. */
export const mixedText = (n: number) => Array.from({ length: n }, (_, i) => ['out ', 'é', '漢', '🚀', '\n'][i % 5]).join('');
