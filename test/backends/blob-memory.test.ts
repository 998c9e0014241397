import { createMemoryBlobStore } from '../../src/backends/memory/blob-store.ts';
import { blobStoreContract } from '../contract/blob-store.ts';

blobStoreContract('memory', async () => {
  const store = createMemoryBlobStore();
  return { store, close: () => store.close() };
});
