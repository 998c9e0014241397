import { connectPostgres, createPostgresEvaluationStore, migrate } from '../../src/backends/postgres/index.ts';
import { createPostgresLogStore } from '../../src/backends/postgres/log-store.ts';
import { createPostgresRunningStore } from '../../src/backends/postgres/running-store.ts';
import { silentLogger } from '../support/app.ts';
import { createTestSchema, postgresUnavailable, TEST_DATABASE_URL } from '../support/postgres.ts';
import { logStoreContract } from '../contract/log-store.ts';
import { runningStoreContract, type RunningHandle } from '../contract/running-store.ts';

const skip = await postgresUnavailable();

// A fresh schema per test, and a pool of 8 so that concurrent appenders really run in parallel
// sessions and contend for the counter row.
const factory = async (): Promise<RunningHandle> => {
  const schema = await createTestSchema();
  const sql = connectPostgres({ url: TEST_DATABASE_URL, schema: schema.name, poolMax: 8 });
  await migrate(sql, schema.name, silentLogger);
  return {
    evaluations: createPostgresEvaluationStore(sql),
    running: createPostgresRunningStore(sql),
    logs: createPostgresLogStore(sql),
    async close() {
      await sql.close();
      await schema.drop();
    },
  };
};

if (!skip) {
  runningStoreContract(`postgres (${TEST_DATABASE_URL})`, factory);
  logStoreContract(`postgres (${TEST_DATABASE_URL})`, factory);
}
