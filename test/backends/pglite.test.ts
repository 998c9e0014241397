import { createPostgresEvaluationStore, migrate } from '../../src/backends/postgres/index.ts';
import { createPgliteClient } from '../../src/backends/postgres/pglite.ts';
import { silentLogger } from '../support/app.ts';
import { evaluationStoreContract } from '../contract/evaluation-store.ts';

evaluationStoreContract('pglite (in memory)', async () => {
  const sql = await createPgliteClient(null);
  await migrate(sql, 'public', silentLogger);
  const store = createPostgresEvaluationStore(sql);
  return { store, close: () => store.close() };
});
