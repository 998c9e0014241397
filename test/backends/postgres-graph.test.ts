import { createPostgresGraphStore } from '../../src/backends/postgres/graph-store.ts';
import { connectPostgres, migrate } from '../../src/backends/postgres/index.ts';
import { silentLogger } from '../support/app.ts';
import { createTestSchema, postgresUnavailable, TEST_DATABASE_URL } from '../support/postgres.ts';
import { graphStoreContract } from '../contract/graph-store.ts';

// Under CI=true an unreachable server throws here: a missing PostgreSQL fails the run.
if (!(await postgresUnavailable())) {
  graphStoreContract(`postgres (${TEST_DATABASE_URL})`, async () => {
    const schema = await createTestSchema();
    const sql = connectPostgres({ url: TEST_DATABASE_URL, schema: schema.name, poolMax: 4 });
    await migrate(sql, schema.name, silentLogger);
    return {
      store: createPostgresGraphStore(sql),
      async close() {
        await sql.close();
        await schema.drop();
      },
    };
  });
}
