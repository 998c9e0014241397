import { connectPostgres, createPostgresEvaluationStore, migrate } from '../../src/backends/postgres/index.ts';
import { silentLogger } from '../support/app.ts';
import { createTestSchema, postgresUnavailable, TEST_DATABASE_URL } from '../support/postgres.ts';
import { evaluationStoreContract } from '../contract/evaluation-store.ts';

const skip = await postgresUnavailable();

if (!skip) {
  evaluationStoreContract(`postgres (${TEST_DATABASE_URL})`, async () => {
    const schema = await createTestSchema();
    const sql = connectPostgres({ url: TEST_DATABASE_URL, schema: schema.name, poolMax: 4 });
    await migrate(sql, schema.name, silentLogger);
    const store = createPostgresEvaluationStore(sql);
    return {
      store,
      async close() {
        await store.close();
        await schema.drop();
      },
    };
  });
}
