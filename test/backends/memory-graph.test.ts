import { createMemoryGraphStore } from '../../src/backends/memory/graph-store.ts';
import { graphStoreContract } from '../contract/graph-store.ts';

graphStoreContract('memory', async () => {
  const store = createMemoryGraphStore();
  return { store, close: () => store.close() };
});
