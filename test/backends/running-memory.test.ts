import { createMemoryEvaluationStore } from '../../src/backends/memory/evaluation-store.ts';
import { createMemoryLogStore } from '../../src/backends/memory/log-store.ts';
import { createMemoryRunningStore } from '../../src/backends/memory/running-store.ts';
import { logStoreContract } from '../contract/log-store.ts';
import { runningStoreContract, type RunningHandle } from '../contract/running-store.ts';

const factory = async (): Promise<RunningHandle> => {
  const evaluations = createMemoryEvaluationStore();
  return { evaluations, running: createMemoryRunningStore(evaluations), logs: createMemoryLogStore(evaluations), close: async () => {} };
};

runningStoreContract('memory', factory);
logStoreContract('memory', factory);
