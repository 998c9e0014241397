import { after } from 'node:test';
import { createS3BlobStore } from '../../src/backends/s3/blob-store.ts';
import { blobStoreContract } from '../contract/blob-store.ts';
import { EMULATOR_CREDENTIALS, startS3Emulator } from '../support/s3.ts';

// One emulator for the file; each test gets its own bucket prefix-free store by deleting what it wrote.
const emulator = await startS3Emulator();
after(() => emulator.close());

blobStoreContract(`s3 (s3rver emulator at ${emulator.endpoint}, not AWS)`, async () => {
  const store = createS3BlobStore({
    bucket: emulator.bucket,
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: EMULATOR_CREDENTIALS,
    forcePathStyle: true,
    partSize: 5 * 1024 * 1024, // S3's smallest part: the 12 MiB test body goes up in three parts
  });
  return {
    store,
    async close() {
      for await (const b of store.list('evaluations/')) await store.delete(b.key);
      await store.close();
    },
  };
});
