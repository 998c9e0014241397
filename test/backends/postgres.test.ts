import { after } from 'node:test';
import { connectPostgres, createPostgresEvaluationStore, migrate } from '../../src/backends/postgres/index.ts';
import { silentLogger } from '../support/app.ts';
import { createTestSchema, postgresUnavailable, TEST_DATABASE_URL } from '../support/postgres.ts';
import { evaluationStoreContract } from '../contract/evaluation-store.ts';

const skip = await postgresUnavailable();

if (!skip) {
  // One schema for the file, migrated once; each test starts from empty tables.
  const schema = await createTestSchema();
  const sql = connectPostgres({ url: TEST_DATABASE_URL, schema: schema.name, poolMax: 4 });
  await migrate(sql, schema.name, silentLogger);
  after(async () => {
    await sql.close();
    await schema.drop();
  });
  evaluationStoreContract(`postgres (${TEST_DATABASE_URL})`, async () => {
    await sql.query('TRUNCATE evaluations, evaluation_events, evaluation_metrics RESTART IDENTITY CASCADE');
    return { store: createPostgresEvaluationStore(sql), close: async () => {} };
  });
}
