import { createMemoryEvaluationStore } from '../../src/backends/memory/evaluation-store.ts';
import { evaluationStoreContract } from '../contract/evaluation-store.ts';

evaluationStoreContract('memory', async () => {
  const store = createMemoryEvaluationStore();
  return { store, close: () => store.close() };
});
