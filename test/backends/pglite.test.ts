import { after } from 'node:test';
import { createPostgresEvaluationStore, migrate } from '../../src/backends/postgres/index.ts';
import { createPgliteClient } from '../../src/backends/postgres/pglite.ts';
import { silentLogger } from '../support/app.ts';
import { evaluationStoreContract } from '../contract/evaluation-store.ts';

// One in-memory PGlite for the file (starting one and migrating takes about a second and a half);
// each test starts from empty tables.
const sql = await createPgliteClient(null);
await migrate(sql, 'public', silentLogger);
after(() => sql.close());

evaluationStoreContract('pglite (in memory)', async () => {
  await sql.query('TRUNCATE evaluations, evaluation_events, evaluation_metrics RESTART IDENTITY CASCADE');
  return { store: createPostgresEvaluationStore(sql), close: async () => {} };
});
